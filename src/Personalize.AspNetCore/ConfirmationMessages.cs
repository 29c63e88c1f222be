using Personalize.Catalog;
using Personalize.Events;
using Personalize.Sending;
using Personalize.Storage;

namespace Personalize.AspNetCore;

/// <summary>
/// Sends the double opt-in confirmation as a service message of the host's catalog: every pending grant the preference
/// center records (from the page, the JSON API or <see cref="PreferenceCenter.RequestDoubleOptInAsync"/>) becomes a
/// <c>double_opt_in_requested</c> event (<see cref="DoubleOptInEvents"/>) that goes through
/// <see cref="SendRunner.IngestAsync(EventRun, IAsyncEnumerable{CustomerEvent}, IPersonalizeStore, CancellationToken)"/>:
/// decided by the same rules as every message, recorded with the customer's history before it reaches the sink, and
/// answered once per request (the event's id comes from the request). Registered by
/// <c>AddPersonalizeConfirmationMessages</c>.
/// </summary>
public sealed class ConfirmationMessages
{
    /// <summary>Creates the service.</summary>
    /// <param name="run">The catalog and templates; the catalog must answer <c>event:double_opt_in_requested</c> with service messages only.</param>
    /// <param name="runner">The send runner (<c>AddPersonalizeSending</c>).</param>
    /// <param name="store">The store the events and sends are recorded in.</param>
    /// <exception cref="ArgumentException">The catalog has no message for the event, or one that is not a service message.</exception>
    public ConfirmationMessages(EventRun run, SendRunner runner, IPersonalizeStore store)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(store);
        var trigger = Trigger.Event(DoubleOptInEvents.Requested);
        var answering = run.Catalog.Source.Messages.Where(m => m.Triggers.Contains(trigger)).ToList();
        if (answering.Count == 0)
        {
            throw new ArgumentException($"The catalog has no message for \"{trigger}\": add a service message with that trigger whose templates show event.data.confirmation_url (docs/preference-center.md).", nameof(run));
        }

        var notService = answering.Where(m => m.Purpose != ContactPurpose.Service).Select(m => m.Id).ToList();
        if (notService.Count > 0)
        {
            throw new ArgumentException($"The catalog's confirmation messages must have the purpose \"service\" (a confirmation is owed to the customer who asked; marketing would wait for the consent it confirms): {string.Join(", ", notService)}.", nameof(run));
        }

        Run = run;
        Runner = runner;
        Store = store;
    }

    /// <summary>Gets the catalog and templates the confirmations are decided and rendered with.</summary>
    public EventRun Run { get; }

    internal SendRunner Runner { get; }

    internal IPersonalizeStore Store { get; }

    internal async ValueTask<EventIngestionSummary> SendAsync(CustomerEvent requested, CancellationToken cancellationToken)
        => await Runner.IngestAsync(Run, One(requested), Store, cancellationToken).ConfigureAwait(false);

    private static async IAsyncEnumerable<CustomerEvent> One(CustomerEvent item)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield return item;
    }
}

/// <summary>The event a double opt-in request raises, which the catalog's confirmation message answers.</summary>
public static class DoubleOptInEvents
{
    /// <summary>
    /// The event type, <c>double_opt_in_requested</c>: a catalog message with the trigger
    /// <c>event:double_opt_in_requested</c> answers it. Its data: <c>confirmation_url</c> (the signed single-use link),
    /// <c>expires_at</c> (ISO 8601, UTC), <c>channel</c> (the channel to confirm on: the channel opted in to, or
    /// <see cref="PreferenceCenterOptions.ConfirmationChannel"/> for a topic), <c>scope</c> (for example
    /// <c>channel/email/marketing</c> or <c>topic/gardening</c>), <c>topic</c> (for a topic) and <c>wording</c> (what the
    /// customer asked for, in the words they were shown).
    /// </summary>
    public const string Requested = "double_opt_in_requested";
}
