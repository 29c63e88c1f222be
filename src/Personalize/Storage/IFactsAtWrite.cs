using Personalize.Events;

namespace Personalize.Storage;

/// <summary>
/// Makes the facts a <see cref="CustomerSends"/> writes when the store reads them (<see cref="CustomerSends.FactsAtWrite"/>):
/// a new set each call, from what the writer holds anyway, so that nothing made for the facts waits with the message
/// for the recorder (ADR 0088).
/// </summary>
internal interface IFactsAtWrite
{
    /// <summary>Makes the facts to write.</summary>
    /// <returns>A new set.</returns>
    CustomerFacts Make();
}
