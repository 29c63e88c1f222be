using Personalize.Catalog;
using Personalize.Events;

namespace Personalize.Sending;

/// <summary>What an event ingestion with decisions needs: the catalog and its compiled templates, the instant and the event options.</summary>
/// <param name="Catalog">The compiled catalog (messages with <c>event:TYPE</c>, <c>stage:NAME</c>, <c>occasion:NAME</c> or <c>tier:NAME</c> triggers).</param>
/// <param name="Templates">The catalog's compiled message templates.</param>
public sealed record EventRun(CompiledCatalog Catalog, CompiledTemplates Templates)
{
    /// <summary>Gets the instant decisions are made at (the ingestion or tick instant).</summary>
    /// <value>The default value is <see langword="null"/>: the clock, read once when the ingestion starts.</value>
    public DateTimeOffset? At { get; init; }

    /// <summary>Gets the mappings, lifecycle rules and limits.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="EventOptions"/> defaults.</value>
    public EventOptions? Options { get; init; }

    /// <summary>Gets the journeys whose entries the triggers start (<c>event:TYPE</c>, <c>stage:NAME</c>, <c>occasion:NAME</c>); the journeys of the customers touched are advanced at the end (exits, awaited events, first steps).</summary>
    /// <value>The default value is <see langword="null"/>: no journeys.</value>
    public Personalize.Journeys.JourneySet? Journeys { get; init; }
}
