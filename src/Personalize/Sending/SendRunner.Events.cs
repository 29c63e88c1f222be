using Personalize.Catalog;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Delivery;
using Personalize.Events;
using Personalize.Journeys;
using Personalize.Storage;

namespace Personalize.Sending;

public sealed partial class SendRunner
{
    /// <summary>
    /// Ingests events and answers them: facts and stages are updated as <see cref="EventIngestor"/> does, and each
    /// applied event's triggers — <c>event:TYPE</c>, and <c>stage:NAME</c> when it moved the stage — are decided for the
    /// updated customer with the event visible as <c>event.*</c> to conditions and templates. Service messages (order
    /// shipped, bill due) go through the same consent, caps, timing and explanations as any other. The events, facts,
    /// stage changes and the messages they caused are written in one transaction per page, before the messages go to
    /// the sink: an event is applied and answered exactly once, also across a crash (run the same ingestion again).
    /// </summary>
    /// <remarks>
    /// Messages deferred by quiet hours or caps become scheduled sends that remember the event; the due pass renders them
    /// with it. The idempotency key of an event's message is made from the trigger and the event id
    /// (<c>event:order_shipped@EVENT-ID</c>). Events older than <see cref="EventOptions.MaxTriggerAge"/> update facts only.
    /// </remarks>
    /// <param name="run">The catalog, its templates, the instant and the event options.</param>
    /// <param name="events">The events, in any order.</param>
    /// <param name="store">The store.</param>
    /// <param name="cancellationToken">Stops after the page in hand.</param>
    /// <returns>What was applied, rejected and sent.</returns>
    public async Task<EventIngestionSummary> IngestAsync(EventRun run, IAsyncEnumerable<CustomerEvent> events, IPersonalizeStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(store);
        ThrowIfOtherCatalog(run.Journeys, run.Catalog, nameof(EventRun));
        var at = run.At ?? _timeProvider.GetUtcNow();
        using var state = NewState(new SendRun(run.Catalog, run.Templates, Trigger.Tick) { At = at }, at, null, RunKinds.Events);
        state.Begin(null);
        await RecoverAsync(store, run.Catalog, run.Templates, state, cancellationToken).ConfigureAwait(false);
        var loop = new Loop(this, store, state, null, null);
        var ingestor = new EventIngestor(run.Options, _timeProvider, _options.MaxRecordedErrors);
        var handler = new TriggerHandler(this, loop, state, run.Catalog, run.Templates, run.Journeys);
        var summary = await ingestor.IngestAsync(events, store, at, handler, cancellationToken).ConfigureAwait(false);
        var journeys = await handler.AdvanceJourneysAsync(store, at, cancellationToken).ConfigureAwait(false);
        await loop.FinishAsync(null, cancellationToken).ConfigureAwait(false);
        var totals = state.Snapshot();
        state.Complete(totals);
        return summary with { Sends = totals, SendErrors = state.Errors.ToArray(), Journeys = journeys };
    }

    /// <summary>The trigger text of a send: the trigger, and for an event's send <c>@</c> and the event id (so each event's message has its own key).</summary>
    internal static string TriggerText(Trigger trigger, CustomerEvent? @event)
        => @event is null ? trigger.ToString() : trigger.ToString() + "@" + @event.Id;

    /// <summary>Splits a recorded trigger text into the trigger and the event id (null when the send answers no event).</summary>
    internal static (Trigger Trigger, string? EventId) SplitTrigger(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var triggerText = at < 0 ? text : text[..at];
        var trigger = Trigger.TryParse(triggerText, out var parsed) ? parsed : Trigger.Tick;
        return (trigger, at < 0 ? null : text[(at + 1)..]);
    }

    /// <summary>Reads the events that recorded sends answer (one query for a page).</summary>
    private static async Task<Dictionary<string, CustomerEvent>> EventsOfAsync(IPersonalizeStore store, IEnumerable<string> triggers, CancellationToken cancellationToken)
    {
        var ids = triggers.Select(static t => SplitTrigger(t).EventId).Where(static id => id is not null).Select(static id => id!).Distinct(StringComparer.Ordinal).ToList();
        var found = new Dictionary<string, CustomerEvent>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return found;
        }

        var page = await store.ReadEventsAsync(new EventQuery { Ids = ids, Limit = ids.Count }, cancellationToken).ConfigureAwait(false);
        foreach (var e in page.Items)
        {
            found[e.Id] = e;
        }

        return found;
    }

    /// <summary>Decides the triggers of applied events (or of a tick's occasions), records the sends with the update, hands them over.</summary>
    private sealed class TriggerHandler(SendRunner runner, Loop loop, RunState state, CompiledCatalog catalog, CompiledTemplates templates, JourneySet? journeys = null) : IUpdateHandler
    {
        /// <summary>The customers whose journeys to advance after the updates: events applied, or a journey entered.</summary>
        private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
        private long _entered;

        /// <summary>Advances the journeys of the customers the updates touched (exits, awaited events, first steps), with this loop.</summary>
        public async Task<JourneySummary?> AdvanceJourneysAsync(IPersonalizeStore store, DateTimeOffset at, CancellationToken cancellationToken)
        {
            if (journeys is null)
            {
                return null;
            }

            var pass = new JourneyPass(runner, loop, state, journeys, templates, at) { Entered = _entered };
            if (_touched.Count > 0)
            {
                await pass.RunAsync(store, _touched.Order(StringComparer.Ordinal).ToArray(), cancellationToken).ConfigureAwait(false);
            }

            return pass.Summary(state);
        }

        /// <summary>Advances every instance due at the instant (the entries these updates made among them), with this loop; the summary is taken after the loop finishes.</summary>
        public async Task<JourneyPass> AdvanceDueJourneysAsync(IPersonalizeStore store, DateTimeOffset at, CancellationToken stopAfterPage, CancellationToken cancellationToken)
        {
            var pass = new JourneyPass(runner, loop, state, journeys!, templates, at) { Entered = _entered };
            await pass.RunAsync(store, null, cancellationToken, stopAfterPage).ConfigureAwait(false);
            return pass;
        }

        public (CustomerSends Write, object? Plan) Plan(CustomerUpdate update, CustomerSends write, CancellationToken cancellationToken)
        {
            if (update.Triggers.Count == 0)
            {
                return (write, null);
            }

            var plan = new TriggerPlan();
            if (journeys is not null && Entries(journeys, update, state.At) is { } entries)
            {
                write = write with { Journeys = entries };
                plan.Entries = entries;
            }

            var profile = update.Profile;
            var deliveries = new List<DeliveryRecord>();
            var scheduled = new List<ScheduledSend>();
            foreach (var (trigger, e) in update.Triggers)
            {
                plan.Decided++;
                Decision decision;
                try
                {
                    decision = runner.Decide(catalog, profile, trigger, state.At, e);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    plan.Errors.Add(new SendError(profile.Id, null, null, SendErrorCodes.DecisionFailed, ex.Message));
                    continue;
                }

                var winners = decision.Winners;
                if (winners.Count == 0)
                {
                    plan.Suppressed.Add(SuppressionCode(decision));
                    continue;
                }

                var triggerText = TriggerText(trigger, e);
                for (var i = 0; i < winners.Count; i++)
                {
                    var winner = winners[i];
                    if (winner.IsDeferred)
                    {
                        scheduled.Add(new ScheduledSend
                        {
                            IdempotencyKey = IdempotencyKey.Create(triggerText, profile.Id, winner.MessageId, winner.SendAt, state.KeyFormat),
                            CustomerId = profile.Id,
                            MessageId = winner.MessageId,
                            Channel = winner.Channel,
                            Template = winner.Template,
                            Trigger = triggerText,
                            Purpose = winner.Message.Purpose,
                            Kind = winner.Message.Kind,
                            DueAt = winner.SendAt,
                            DecidedAt = state.At,
                        });
                        plan.Deferred++;
                        continue;
                    }

                    if (runner.TryRender(templates, profile, winner.Message, winner.Channel, winner.Template, triggerText, winner.SendAt, out var error, cancellationToken, e) is { } message)
                    {
                        var send = new PendingSend(message, ToDelivery(message, winner.Message.Kind, winner.Template, null, runner.RecordedState));
                        plan.Sends.Add(send);
                        deliveries.Add(send.Delivery);

                        // The next trigger of this customer counts this send toward caps and give-before-ask.
                        profile = Profiling.AskedQuestions.Remember(profile with { History = profile.History.Append(send.Delivery.ToContactRecord()) }, message);
                    }
                    else
                    {
                        plan.Errors.Add(error!);
                    }
                }
            }

            var asked = AskedFacts(update.Profile.Facts, plan.Sends);
            return (write with { Deliveries = deliveries, ContactPoints = ContactPointsOf(catalog.Channels, profile, plan.Sends), Scheduled = scheduled, Facts = asked ?? write.Facts }, plan);
        }

        public Task<SendBatchResult> WriteAsync(IPersonalizeStore store, IReadOnlyList<CustomerSends> writes, CancellationToken cancellationToken)
            => loop.WriteAsync(writes, cancellationToken);

        public async ValueTask WrittenAsync(CustomerUpdate update, CustomerSendsResult result, object? plan, CancellationToken cancellationToken)
        {
            if (journeys is not null && (update.Events.Count > 0 || plan is TriggerPlan { Entries.Count: > 0 }))
            {
                _touched.Add(update.Stored.Id);
            }

            if (plan is TriggerPlan { Entries: { } entered })
            {
                _entered += entered.Count(e => !result.WasAlreadyRecorded(e.Key));
            }

            if (plan is not TriggerPlan p)
            {
                return;
            }

            var tally = loop.Tally;
            tally.Processed += p.Decided;
            tally.Deferred += p.Deferred;
            foreach (var code in p.Suppressed)
            {
                tally.Suppress(code);
            }

            foreach (var error in p.Errors)
            {
                state.Error(error);
            }

            foreach (var send in p.Sends)
            {
                await loop.HandOverAsync(send, result, cancellationToken).ConfigureAwait(false);
            }

            loop.Merge();
        }
    }

    private sealed class TriggerPlan
    {
        public int Decided;
        public int Deferred;

        public List<JourneyInstance>? Entries { get; set; }

        public List<PendingSend> Sends { get; } = [];

        public List<string> Suppressed { get; } = [];

        public List<SendError> Errors { get; } = [];
    }
}
