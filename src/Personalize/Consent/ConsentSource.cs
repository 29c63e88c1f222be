namespace Personalize.Consent;

/// <summary>Where a consent record came from: a kind plus a detail a person can read (<c>preference center</c>, <c>agent jdoe</c>).</summary>
public sealed record ConsentSource
{
    /// <summary>Creates a source.</summary>
    /// <param name="kind">The kind of source.</param>
    /// <param name="detail">A detail a person can read, or <see langword="null"/>.</param>
    public ConsentSource(ConsentSourceKind kind, string? detail = null)
    {
        Kind = kind;
        Detail = string.IsNullOrWhiteSpace(detail) ? null : detail.Trim();
    }

    /// <summary>The kind of source.</summary>
    public ConsentSourceKind Kind { get; }

    /// <summary>A detail a person can read, for example <c>preference center</c>; <see langword="null"/> when none was given.</summary>
    public string? Detail { get; }

    /// <summary>A form source.</summary>
    /// <param name="detail">Which form, for example <c>preference center</c>.</param>
    /// <returns>The source.</returns>
    public static ConsentSource Form(string? detail = null) => new(ConsentSourceKind.Form, detail);

    /// <summary>A channel source.</summary>
    /// <param name="detail">For example <c>SMS reply STOP</c>.</param>
    /// <returns>The source.</returns>
    public static ConsentSource FromChannel(string? detail = null) => new(ConsentSourceKind.Channel, detail);

    /// <summary>An agent source.</summary>
    /// <param name="detail">Which agent or where, for example <c>call centre, agent 17</c>.</param>
    /// <returns>The source.</returns>
    public static ConsentSource Agent(string? detail = null) => new(ConsentSourceKind.Agent, detail);

    /// <summary>An import source.</summary>
    /// <param name="detail">Which import, for example <c>CRM migration 2025</c>.</param>
    /// <returns>The source.</returns>
    public static ConsentSource Import(string? detail = null) => new(ConsentSourceKind.Import, detail);

    /// <summary>The detail, or the kind in words when there is no detail.</summary>
    /// <returns>For example <c>preference center</c> or <c>an agent</c>.</returns>
    public override string ToString() => Detail ?? Kind switch
    {
        ConsentSourceKind.Form => "a form",
        ConsentSourceKind.Channel => "a channel reply",
        ConsentSourceKind.Agent => "an agent",
        ConsentSourceKind.Import => "an import",
        _ => "the API",
    };
}
