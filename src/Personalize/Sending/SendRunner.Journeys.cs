using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Eligibility;
using Personalize.Events;
using Personalize.Journeys;
using Personalize.Storage;

namespace Personalize.Sending;

public sealed partial class SendRunner
{
    /// <summary>The most steps one instance runs in one advance (a branch loop without a wait ends the instance with <c>journey.loop</c>).</summary>
    private const int MaxStepsPerAdvance = JourneyDefinition.MaxSteps * 2;

    /// <summary>The most stored events of one customer a journey looks at (the earliest since the customer's first instance started).</summary>
    private const int MaxJourneyEvents = 10_000;

    /// <summary>The events of a customer none of whose journeys looks at events (read only, never added to).</summary>
    private static readonly List<CustomerEvent> NoEvents = [];

    /// <summary>The most active instances one read of a page's customers returns (more are read in further pages).</summary>
    private const int ActiveReadLimit = 2_000;

    /// <summary>
    /// Advances journeys: reads the instances due at the instant (or every active instance of
    /// <see cref="JourneyRun.CustomerIds"/>), and for each customer checks the exits, then runs steps until one waits or
    /// the journey ends: sends through the decision rules (consent, contact point, caps, quiet hours, service first),
    /// waits, awaited events and their timeouts, branches. Each customer's new instance state and the messages its
    /// steps caused are written in one transaction (with the customer's version) before the messages go to the sink,
    /// so a crash at any moment neither repeats nor skips a step: run the pass again.
    /// </summary>
    /// <param name="run">The journeys, templates, instant and customers.</param>
    /// <param name="store">The store.</param>
    /// <param name="cancellationToken">Stops after the page in hand.</param>
    /// <returns>What the pass did.</returns>
    public async Task<JourneySummary> AdvanceJourneysAsync(JourneyRun run, IPersonalizeStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(store);
        var at = run.At ?? _timeProvider.GetUtcNow();
        using var state = NewState(new SendRun(run.Journeys.Catalog, run.Templates, Trigger.Tick) { At = at }, at, null, RunKinds.Journeys);
        state.Begin(null);
        await RecoverAsync(store, run.Journeys.Catalog, run.Templates, state, cancellationToken).ConfigureAwait(false);
        var loop = new Loop(this, store, state, null, null);
        var pass = new JourneyPass(this, loop, state, run.Journeys, run.Templates, at);
        await pass.RunAsync(store, run.CustomerIds, cancellationToken).ConfigureAwait(false);
        await loop.FinishAsync(null, cancellationToken).ConfigureAwait(false);
        var summary = pass.Summary(state);
        state.Complete(summary.Sends);
        return summary;
    }

    /// <summary>Throws when journeys were loaded with another catalog than the run's (their sends would be checked against it).</summary>
    private static void ThrowIfOtherCatalog(JourneySet? journeys, CompiledCatalog catalog, string run)
    {
        if (journeys is not null && !ReferenceEquals(journeys.Catalog, catalog))
        {
            throw new ArgumentException($"{run}.Journeys was loaded with another catalog than {run}.Catalog; load the journeys (JourneyJson.Load, JourneySet.Create) with the same compiled catalog.", nameof(run));
        }
    }

    /// <summary>The instance of a customer entering a journey (written with the update that caused it; the first step runs at the next advance).</summary>
    internal static JourneyInstance Enter(JourneyDefinition journey, string customerId, Trigger trigger, CustomerEvent? @event, DateTimeOffset at)
    {
        var started = @event is { } e && e.OccurredAt < at ? e.OccurredAt : at;
        return new JourneyInstance
        {
            CustomerId = customerId,
            JourneyId = journey.Id,
            InstanceId = journey.AllowReentry ? @event?.Id ?? at.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture) : "1",
            Version = journey.Version,
            Revision = 1,
            Status = JourneyStatus.Active,
            StepId = journey.Steps[0].Id,
            StepSince = started,
            WakeAt = at,
            StartedAt = started,
            UpdatedAt = at,
            EntryEventId = @event?.Id,
            History = [new JourneyStepRecord(at, "entry", JourneyOutcomes.Entered, @event is null ? trigger.ToString() : trigger + " " + @event.Id)],
        };
    }

    /// <summary>The instances an update's triggers start (latest version of each journey the trigger enters, its condition met).</summary>
    internal static List<JourneyInstance>? Entries(JourneySet journeys, CustomerUpdate update, DateTimeOffset at)
    {
        List<JourneyInstance>? entries = null;
        foreach (var (trigger, e) in update.Triggers)
        {
            foreach (var journey in journeys.Latest)
            {
                if (journey.Entry.Trigger != trigger)
                {
                    continue;
                }

                if (journey.Entry.Condition is { } condition)
                {
                    try
                    {
                        if (!condition.IsSatisfiedBy(new ConditionContext(update.Profile, trigger, at) { Event = e }))
                        {
                            continue;
                        }
                    }
                    catch (Templates.TemplateRuntimeException)
                    {
                        continue;
                    }
                }

                var instance = Enter(journey, update.Stored.Id, trigger, e, at);
                if (entries?.Exists(i => i.Key == instance.Key) != true)
                {
                    (entries ??= []).Add(instance);
                }
            }
        }

        return entries;
    }

    /// <summary>One pass over journey instances: per customer, advance, write, hand over, redo conflicts.</summary>
    private sealed class JourneyPass(SendRunner runner, Loop loop, RunState state, JourneySet journeys, CompiledTemplates templates, DateTimeOffset at)
    {
        private readonly Dictionary<string, long> _exited = new(StringComparer.Ordinal);

        /// <summary>Customer and channel pairs whose step message the store's suppression list refused in this pass (planned again as suppressed); written by the recording stage, read by the planning stage.</summary>
        private readonly ConcurrentDictionary<(string CustomerId, Channel Channel), bool> _refused = new();

        /// <summary>Whether <see cref="_refused"/> holds anything (set by the recording stage before it plans the refused customers again).</summary>
        private volatile bool _anyRefused;

        private long _instances;
        private long _steps;
        private long _completed;

        public long Entered { get; set; }

        /// <summary>
        /// Runs the pass as a pipeline of two stages, one task each: reading a page (its due instances, their customers,
        /// every active instance of those customers and the events their journeys look at) and planning it at once
        /// (exits, steps, decisions, renders), then recording it (one transaction, then the hand-over), at most two
        /// planned pages ahead of the recording. A page read is planned before the next is read, so only its plans wait
        /// for the writer, not the customers they came from (whose data then dies young instead of being promoted by
        /// the garbage collector while queued). A customer written to by another stage or process between its read and
        /// its write is a conflict the store reports (the customer's version): it is read and planned again, so a step
        /// is neither repeated nor skipped whatever the overlap.
        /// </summary>
        public async Task RunAsync(IPersonalizeStore store, IReadOnlyCollection<string>? customerIds, CancellationToken token, CancellationToken stopAfterPage = default)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
            var planned = System.Threading.Channels.Channel.CreateBounded<PagePlans>(new System.Threading.Channels.BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
            var tasks = new[]
            {
                Task.Run(() => ReadPagesAsync(store, customerIds, planned.Writer, stop, stopAfterPage), CancellationToken.None),
                Task.Run(() => RecordPagesAsync(store, planned.Reader, stop), CancellationToken.None),
            };
            await WhenAllOrFirstFailure(tasks, token).ConfigureAwait(false);
        }

        public JourneySummary Summary(RunState final) => new()
        {
            Instances = _instances,
            Entered = Entered,
            Steps = _steps,
            Completed = _completed,
            Exited = new Dictionary<string, long>(_exited, StringComparer.Ordinal),
            Sends = final.Snapshot(),
            Errors = final.Errors.ToArray(),
            At = at,
        };

        /// <summary>Stage one: the pages of due instances (or of the named customers), each read with what planning needs and planned (exits, steps through the decision rules, renders).</summary>
        private async Task ReadPagesAsync(IPersonalizeStore store, IReadOnlyCollection<string>? customerIds, System.Threading.Channels.ChannelWriter<PagePlans> writer, CancellationTokenSource stop, CancellationToken stopAfterPage)
        {
            await Stage(writer, stop, async () =>
            {
                if (customerIds is not null)
                {
                    foreach (var chunk in customerIds.Distinct(StringComparer.Ordinal).Chunk(runner._options.PageSize))
                    {
                        await writer.WriteAsync(PlanPage(await ReadAsync(store, chunk, null, stop.Token).ConfigureAwait(false), stop.Token), stop.Token).ConfigureAwait(false);
                    }

                    return;
                }

                string? after = null;
                do
                {
                    // Only the keys: each customer's instances are read whole after the customer (ReadAsync).
                    var page = await store.ReadJourneysAsync(new JourneyQuery { DueBy = at, Limit = runner._options.PageSize, ContinueAfter = after, KeysOnly = true }, stop.Token).ConfigureAwait(false);
                    if (page.Items.Count == 0)
                    {
                        break;
                    }

                    var byCustomer = new Dictionary<string, List<JourneyInstance>>(page.Items.Count, StringComparer.Ordinal);
                    foreach (var key in page.Items)
                    {
                        ref var own = ref CollectionsMarshal.GetValueRefOrAddDefault(byCustomer, key.CustomerId, out _);
                        (own ??= new List<JourneyInstance>(1)).Add(key);
                    }

                    await writer.WriteAsync(PlanPage(await ReadAsync(store, byCustomer.Keys.ToArray(), byCustomer, stop.Token).ConfigureAwait(false), stop.Token), stop.Token).ConfigureAwait(false);
                    after = page.ContinueAfter;
                }
                while (after is not null && !stopAfterPage.IsCancellationRequested);
            }).ConfigureAwait(false);
        }

        /// <summary>
        /// Stage two: the planned pages recorded in one transaction each — a page and those planned while the
        /// previous write waited, up to <see cref="MaxPagesPerWrite"/> (a group commit, as the send run's recorder:
        /// ADR 62) — their messages handed over, their conflicts redone.
        /// </summary>
        private async Task RecordPagesAsync(IPersonalizeStore store, System.Threading.Channels.ChannelReader<PagePlans> reader, CancellationTokenSource stop)
        {
            try
            {
                await foreach (var plans in reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
                {
                    for (var taken = 1; taken < MaxPagesPerWrite && reader.TryRead(out var next); taken++)
                    {
                        plans.Add(next);
                    }

                    await RecordAsync(store, plans, 1, stop.Token).ConfigureAwait(false);
                }
            }
            catch
            {
                loop.Merge();
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        /// <summary>Reads, plans and records the customers' journeys in this task (a conflict's redo).</summary>
        private async Task AdvanceAsync(IPersonalizeStore store, IReadOnlyList<string> customerIds, int attempt, CancellationToken token)
        {
            var input = await ReadAsync(store, customerIds, null, token).ConfigureAwait(false);
            await RecordAsync(store, PlanPage(input, token), attempt, token).ConfigureAwait(false);
        }

        /// <summary>
        /// Reads a page's customers, then every active instance of them (after the customers, so an instance written since
        /// the customer's read makes the customer's write a conflict) and the events their journeys look at.
        /// </summary>
        private async Task<PageInput> ReadAsync(IPersonalizeStore store, IReadOnlyList<string> customerIds, Dictionary<string, List<JourneyInstance>>? due, CancellationToken token)
        {
            var customers = await store.GetCustomersAsync(customerIds.ToArray(), token).ConfigureAwait(false);

            // Every active instance of the page's customers, in one read: a due one may be a re-entry while an older one is active.
            var active = await ActiveAsync(store, customerIds, token).ConfigureAwait(false);
            var advancing = new List<(StoredCustomer Customer, List<JourneyInstance> Instances)>(customers.Count);
            foreach (var customer in customers)
            {
                if (!active.TryGetValue(customer.Id, out var instances))
                {
                    continue;
                }

                if (due is not null && due.TryGetValue(customer.Id, out var dueOnes) && !(instances.Count == 1 && dueOnes.Count == 1 && SameInstance(instances[0], dueOnes[0])))
                {
                    // (A customer's one active instance, the one due, is the common case: kept without the sets below.)
                    var dueKeys = dueOnes.Select(static i => i.Key).ToHashSet(StringComparer.Ordinal);
                    instances = instances.Where(i => dueKeys.Contains(i.Key) || instances.Any(d => dueKeys.Contains(d.Key) && d.JourneyId == i.JourneyId)).ToList();
                }

                if (instances.Count > 0)
                {
                    advancing.Add((customer, instances));
                }
            }

            // The stored events of every customer whose journeys look at events (exits, waits for an event), in one read.
            var events = await EventsAsync(store, advancing.Where(a => NeedsEvents(a.Instances)).Select(static a => (a.Customer.Id, a.Instances.Min(static i => i.StartedAt))).ToList(), token).ConfigureAwait(false);
            return new PageInput(advancing, events);
        }

        /// <summary>Plans each customer of a page: what to write (instances, deliveries) and what to count.</summary>
        private PagePlans PlanPage(PageInput input, CancellationToken token)
        {
            var result = new PagePlans();

            // One working state for every instance of the page, each advanced in it and made durable once (only when it changed).
            var work = new JourneyWork();
            foreach (var (customer, instances) in input.Advancing)
            {
                var plan = Plan(customer, instances, input.Events.TryGetValue(customer.Id, out var own) ? own : NoEvents, work, token);
                if (plan.Instances.Count == 0 && plan.Sends.Count == 0)
                {
                    result.Idle.Add(plan);
                    continue;
                }

                result.Writes.Add(new CustomerSends { CustomerId = customer.Id, ExpectedVersion = customer.Version, RefuseWhenSuppressed = true, Journeys = new SerializedJourneys(plan.Instances), Deliveries = DeliveriesOf(plan.Sends), ContactPoints = ContactPointsOf(journeys.Catalog.Channels, customer.Profile, plan.Sends), Facts = AskedFacts(customer.Profile.Facts, plan.Sends) });
                result.Plans.Add(plan);
            }

            return result;
        }

        /// <summary>Records a planned page in one transaction, hands its messages over and redoes its conflicts (in this task).</summary>
        private async Task RecordAsync(IPersonalizeStore store, PagePlans page, int attempt, CancellationToken token)
        {
            foreach (var idle in page.Idle)
            {
                Count(idle);
            }

            if (page.Writes.Count == 0)
            {
                return;
            }

            var result = await loop.WriteAsync(page.Writes, token).ConfigureAwait(false);
            List<string>? redo = null;
            for (var i = 0; i < page.Plans.Count; i++)
            {
                var written = result.Customers[i];
                var plan = page.Plans[i];
                if (written.Status == WriteStatus.Conflict && attempt < MaxConflictAttempts)
                {
                    (redo ??= []).Add(plan.CustomerId);
                    continue;
                }

                if (written.Status == WriteStatus.Refused && written.Suppressed.Count > 0 && attempt < MaxConflictAttempts)
                {
                    // The suppression list refused a step's message as it was recorded (a bounce since the read): nothing
                    // was written; plan the customer again with that channel suppressed, so the step follows its policy.
                    foreach (var send in plan.Sends)
                    {
                        if (written.WasSuppressed(send.Delivery.IdempotencyKey))
                        {
                            _refused[(plan.CustomerId, send.Message.Channel)] = true;
                            _anyRefused = true;
                        }
                    }

                    (redo ??= []).Add(plan.CustomerId);
                    continue;
                }

                if (written.Status != WriteStatus.Written)
                {
                    state.Error(new SendError(plan.CustomerId, null, null, written.Status == WriteStatus.Conflict ? SendErrorCodes.StoreConflict : "customer.not_found", $"The customer's journeys could not be written ({written.Status}, {attempt} attempts); run the pass again."));
                    continue;
                }

                Count(plan);
                foreach (var send in plan.Sends)
                {
                    await loop.HandOverAsync(send, written, token).ConfigureAwait(false);
                }
            }

            loop.Merge();
            if (redo is not null)
            {
                // Someone wrote to these customers meanwhile (another stage of this pass, an ingestion, another process):
                // read them and their instances again and advance again.
                await AdvanceAsync(store, redo, attempt + 1, token).ConfigureAwait(false);
            }
        }

        private void Count(CustomerPlan plan)
        {
            _instances += plan.Looked;
            _steps += plan.Steps;
            _completed += plan.Completed;
            foreach (var reason in plan.Exited)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(_exited, reason, out _)++;
            }

            foreach (var code in plan.Suppressed)
            {
                loop.Tally.Suppress(code);
            }

            foreach (var error in plan.Errors)
            {
                state.Error(error);
            }
        }

        /// <summary>The active instances of the customers, by customer: one read per <see cref="JourneyQuery.MaxCustomerIds"/> customers (and per page of instances).</summary>
        private static async Task<Dictionary<string, List<JourneyInstance>>> ActiveAsync(IPersonalizeStore store, IReadOnlyList<string> customerIds, CancellationToken token)
        {
            var wanted = new HashSet<string>(customerIds, StringComparer.Ordinal);
            var byCustomer = new Dictionary<string, List<JourneyInstance>>(wanted.Count, StringComparer.Ordinal);
            foreach (var chunk in customerIds.Chunk(JourneyQuery.MaxCustomerIds))
            {
                string? after = null;
                do
                {
                    var page = await store.ReadJourneysAsync(new JourneyQuery { CustomerIds = chunk, ActiveOnly = true, Limit = ActiveReadLimit, ContinueAfter = after, WithoutHistory = true }, token).ConfigureAwait(false);
                    foreach (var instance in page.Items)
                    {
                        // A store that reads more than the customers asked for is filtered here.
                        if (wanted.Contains(instance.CustomerId))
                        {
                            if (!byCustomer.TryGetValue(instance.CustomerId, out var own))
                            {
                                byCustomer[instance.CustomerId] = own = [];
                            }

                            own.Add(instance);
                        }
                    }

                    after = page.ContinueAfter;
                }
                while (after is not null);
            }

            return byCustomer;
        }

        private static bool SameInstance(JourneyInstance a, JourneyInstance b)
            => string.Equals(a.InstanceId, b.InstanceId, StringComparison.Ordinal) && string.Equals(a.JourneyId, b.JourneyId, StringComparison.Ordinal) && string.Equals(a.CustomerId, b.CustomerId, StringComparison.Ordinal);

        private bool NeedsEvents(List<JourneyInstance> instances)
        {
            foreach (var instance in instances)
            {
                if (journeys.Find(instance.JourneyId, instance.Version) is { } journey
                    && (journey.Exits.Any(static x => x.EventType is not null) || journey.Steps.Any(static s => s is WaitForEventStep)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The stored events of the customers since each one's earliest instance started, by customer (at most
        /// <see cref="MaxJourneyEvents"/> each): one read per <see cref="EventQuery.MaxCustomerIds"/> customers (and per page of events).
        /// </summary>
        private static async Task<Dictionary<string, List<CustomerEvent>>> EventsAsync(IPersonalizeStore store, List<(string CustomerId, DateTimeOffset Since)> customers, CancellationToken token)
        {
            var byCustomer = new Dictionary<string, List<CustomerEvent>>(customers.Count, StringComparer.Ordinal);
            if (customers.Count == 0)
            {
                return byCustomer;
            }

            var since = customers.ToDictionary(static c => c.CustomerId, static c => c.Since, StringComparer.Ordinal);
            foreach (var chunk in customers.Chunk(EventQuery.MaxCustomerIds))
            {
                var ids = chunk.Select(static c => c.CustomerId).ToArray();
                var earliest = chunk.Min(static c => c.Since);
                string? after = null;
                do
                {
                    var page = await store.ReadEventsAsync(new EventQuery { CustomerIds = ids, Since = earliest, Limit = ActiveReadLimit, ContinueAfter = after }, token).ConfigureAwait(false);
                    foreach (var e in page.Items)
                    {
                        // A store that reads more than the customers asked for is filtered here, and so is an event before the customer's own start.
                        if (since.TryGetValue(e.CustomerId, out var from) && e.OccurredAt >= from)
                        {
                            if (!byCustomer.TryGetValue(e.CustomerId, out var own))
                            {
                                byCustomer[e.CustomerId] = own = [];
                            }

                            if (own.Count < MaxJourneyEvents)
                            {
                                own.Add(e);
                            }
                        }
                    }

                    after = page.ContinueAfter;
                }
                while (after is not null);
            }

            return byCustomer;
        }

        private CustomerPlan Plan(StoredCustomer customer, List<JourneyInstance> instances, List<CustomerEvent> events, JourneyWork work, CancellationToken token)
        {
            var plan = new CustomerPlan(customer.Id);
            var profile = customer.Profile;

            // One active instance per journey: a later entry (re-entry while in it) ends at once.
            var ordered = instances.Count == 1 ? instances : instances.OrderBy(static i => i.JourneyId, StringComparer.Ordinal).ThenBy(static i => i.StartedAt).ThenBy(static i => i.InstanceId, StringComparer.Ordinal).ToList();
            string? previousJourney = null;
            foreach (var instance in ordered)
            {
                plan.Looked++;
                if (string.Equals(previousJourney, instance.JourneyId, StringComparison.Ordinal))
                {
                    End(work.Load(instance), JourneyStatus.Exited, JourneyCodesRuntime.AlreadyIn, "entry", at);
                    plan.Add(work.Build(instance.Revision + 1, at), JourneyCodesRuntime.AlreadyIn);
                    continue;
                }

                previousJourney = instance.JourneyId;
                if (journeys.Find(instance.JourneyId, instance.Version) is not { } journey)
                {
                    plan.Errors.Add(new SendError(customer.Id, null, null, JourneyCodesRuntime.VersionMissing, $"Journey \"{instance.JourneyId}\" version {instance.Version} is not in the journey set; the customer started on it and finishes on it: load that version too. The instance waits."));
                    continue;
                }

                Advance(journey, work.Load(instance), ref profile, events, plan, token);
                if (work.Changed)
                {
                    var advanced = work.Build(instance.Revision + 1, at);
                    plan.Add(advanced, advanced.Status == JourneyStatus.Exited ? advanced.ExitReason : null);
                    if (advanced.Status == JourneyStatus.Completed)
                    {
                        plan.Completed++;
                    }
                }
            }

            return plan;
        }

        /// <summary>Runs an instance's steps until one waits or the journey ends (<see cref="JourneyWork.Changed"/> tells whether anything changed).</summary>
        private void Advance(JourneyDefinition journey, JourneyWork current, ref CustomerProfile profile, List<CustomerEvent> events, CustomerPlan plan, CancellationToken token)
        {
            var trigger = Trigger.Journey(journey.Id);
            for (var n = 0; current.Status == JourneyStatus.Active; n++)
            {
                if (Exit(journey, current, profile, events, trigger, plan) is { } reason)
                {
                    End(current, JourneyStatus.Exited, reason, "exit", at);
                    return;
                }

                var index = journey.IndexOf(current.StepId);
                if (index < 0)
                {
                    End(current, JourneyStatus.Exited, JourneyCodesRuntime.UnknownStep, current.StepId ?? "?", at);
                    return;
                }

                if (n >= MaxStepsPerAdvance)
                {
                    End(current, JourneyStatus.Exited, JourneyCodesRuntime.Loop, current.StepId!, at);
                    return;
                }

                var step = journey.Steps[index];
                switch (step)
                {
                    case SendStep send:
                        if (current.WakeAt is { } wake && wake > at)
                        {
                            return;
                        }

                        plan.Steps++;
                        Send(journey, send, current, ref profile, trigger, plan, token);
                        if (current.Status != JourneyStatus.Active || string.Equals(current.StepId, send.Id, StringComparison.Ordinal))
                        {
                            return;
                        }

                        break;
                    case WaitStep wait:
                        if (!Waited(current, step.Id, current.StepSince + wait.Duration))
                        {
                            return;
                        }

                        plan.Steps++;
                        MoveTo(journey, current, index, null, JourneyOutcomes.Waited, null);
                        break;
                    case WaitUntilStep until:
                        if (!Waited(current, step.Id, LocalTime.Next(current.StepSince, until.TimeOfDay, until.Days, profile.TimeZone)))
                        {
                            return;
                        }

                        plan.Steps++;
                        MoveTo(journey, current, index, null, JourneyOutcomes.Waited, null);
                        break;
                    case WaitForEventStep waitFor:
                        var arrived = Arrived(events, waitFor.EventType, current.StepSince);
                        if (arrived is not null)
                        {
                            plan.Steps++;
                            MoveTo(journey, current, index, waitFor.OnEvent, JourneyOutcomes.EventReceived, arrived.Id);
                            break;
                        }

                        var timeout = current.StepSince + waitFor.Timeout;
                        if (timeout <= at)
                        {
                            plan.Steps++;
                            MoveTo(journey, current, index, waitFor.OnTimeout, JourneyOutcomes.TimedOut, null);
                            break;
                        }

                        if (current.WakeAt != timeout || current.WaitingFor != waitFor.EventType)
                        {
                            current.Record(new JourneyStepRecord(at, step.Id, JourneyOutcomes.Waiting, $"{waitFor.EventType} until {JourneyInstanceJson.Format(timeout)}"));
                            current.WakeAt = timeout;
                            current.WaitingFor = waitFor.EventType;
                        }

                        return;
                    case BranchStep branch:
                        plan.Steps++;
                        bool holds;
                        try
                        {
                            holds = branch.Condition.IsSatisfiedBy(new ConditionContext(profile, trigger, at));
                        }
                        catch (Templates.TemplateRuntimeException ex)
                        {
                            plan.Errors.Add(new SendError(profile.Id, null, null, JourneyCodesRuntime.ConditionError, $"Journey \"{journey.Id}\" step \"{branch.Id}\": {ex.Message} (the else way is taken)."));
                            holds = false;
                        }

                        var target = holds ? branch.Then : branch.Else;
                        MoveTo(journey, current, index, target, JourneyOutcomes.Branched, (holds ? "then" : "else") + " " + (target ?? "next"));
                        break;
                }
            }
        }

        /// <summary>The first stored event of the type that happened from <paramref name="since"/> to the pass's instant, or <see langword="null"/>.</summary>
        private CustomerEvent? Arrived(List<CustomerEvent> events, string type, DateTimeOffset since)
        {
            foreach (var e in events)
            {
                if (string.Equals(e.Type, type, StringComparison.Ordinal) && e.OccurredAt >= since && e.OccurredAt <= at)
                {
                    return e;
                }
            }

            return null;
        }

        /// <summary>Whether a wait until <paramref name="until"/> is over; when not, sets the wake-up (recording the wait once).</summary>
        private bool Waited(JourneyWork current, string stepId, DateTimeOffset until)
        {
            if (until <= at)
            {
                return true;
            }

            if (current.WakeAt != until)
            {
                current.Record(new JourneyStepRecord(at, stepId, JourneyOutcomes.Waiting, "until " + JourneyInstanceJson.Format(until)));
                current.WakeAt = until;
                current.WaitingFor = null;
            }

            return false;
        }

        private string? Exit(JourneyDefinition journey, JourneyWork instance, CustomerProfile profile, List<CustomerEvent> events, Trigger trigger, CustomerPlan plan)
        {
            foreach (var exit in journey.Exits)
            {
                if (exit.EventType is { } type && Arrived(events, type, instance.StartedAt) is not null)
                {
                    return exit.Name;
                }

                if (exit.Condition is { } condition)
                {
                    try
                    {
                        if (condition.IsSatisfiedBy(new ConditionContext(profile, trigger, at)))
                        {
                            return exit.Name;
                        }
                    }
                    catch (Templates.TemplateRuntimeException ex)
                    {
                        plan.Errors.Add(new SendError(profile.Id, null, null, JourneyCodesRuntime.ConditionError, $"Journey \"{journey.Id}\" exit \"{exit.Name}\": {ex.Message} (the exit is not taken)."));
                    }
                }
            }

            return null;
        }

        private void Send(JourneyDefinition journey, SendStep send, JourneyWork current, ref CustomerProfile profile, Trigger trigger, CustomerPlan plan, CancellationToken token)
        {
            var index = journey.IndexOf(send.Id);
            var check = Check(send, profile, trigger);
            if (check.Status == RecheckStatus.Allowed)
            {
                var triggerText = $"{trigger}@{current.InstanceId}/{send.Id}/{current.Attempt}";
                if (runner.TryRender(templates, profile, check.Result!.Message!, check.Channel, check.Result.Template!, triggerText, at, out var error, token) is { } message)
                {
                    var pending = new PendingSend(message, ToDelivery(message, check.Result.Message!.Kind, check.Result.Template!, null, runner.RecordedState));
                    plan.Sends.Add(pending);
                    profile = Profiling.AskedQuestions.Remember(profile with { History = profile.History.Append(pending.Delivery.ToContactRecord()) }, message);
                    MoveTo(journey, current, index, null, JourneyOutcomes.Sent, $"{check.Channel} {message.IdempotencyKey}");
                    return;
                }

                plan.Errors.Add(error!);
                Suppressed(journey, send, current, index, error!.Code, plan);
                return;
            }

            if (check.Status == RecheckStatus.Deferred)
            {
                var until = check.Result!.SendAt!.Value;
                if (current.WakeAt != until)
                {
                    current.Record(new JourneyStepRecord(at, send.Id, JourneyOutcomes.Deferred, $"{check.Code} until {JourneyInstanceJson.Format(until)}"));
                    current.WakeAt = until;
                }

                return;
            }

            Suppressed(journey, send, current, index, check.Code, plan);
        }

        private void Suppressed(JourneyDefinition journey, SendStep send, JourneyWork current, int index, string code, CustomerPlan plan)
        {
            plan.Suppressed.Add(code);
            switch (send.WhenSuppressed)
            {
                case SuppressedStepPolicy.Exit:
                    current.Record(new JourneyStepRecord(at, send.Id, JourneyOutcomes.Skipped, code));
                    End(current, JourneyStatus.Exited, code, send.Id, at);
                    break;
                case SuppressedStepPolicy.Retry when current.Attempt + 1 < send.MaxAttempts:
                    current.Record(new JourneyStepRecord(at, send.Id, JourneyOutcomes.Retrying, $"{code} (attempt {current.Attempt + 1} of {send.MaxAttempts})"));
                    current.Attempt++;
                    current.WakeAt = at + send.RetryAfter;
                    break;
                case SuppressedStepPolicy.Retry:
                    MoveTo(journey, current, index, null, JourneyOutcomes.Skipped, $"{code} (after {send.MaxAttempts} attempts)");
                    break;
                default:
                    MoveTo(journey, current, index, null, JourneyOutcomes.Skipped, code);
                    break;
            }
        }

        /// <summary>Checks the step's message on its channel, or on each of the message's channels in the customer's order (the first allowed wins, else the earliest deferral, else the first block).</summary>
        private (RecheckStatus Status, string Code, Channel Channel, RecheckResult? Result) Check(SendStep send, CustomerProfile profile, Trigger trigger)
        {
            var catalog = journeys.Catalog;
            if (send.Channel is { } only && !_anyRefused)
            {
                // The common case: one channel, nothing refused in this pass — checked without building the channel list.
                var one = runner._engine.Recheck(catalog, profile, send.MessageId, only, trigger, at, at);
                return (one.Status, one.Code, only, one);
            }

            List<Channel> channels;
            if (send.Channel is { } single)
            {
                channels = [single];
            }
            else
            {
                var definition = catalog.Find(send.MessageId);
                var own = definition?.Channels.Select(static c => c.Channel).ToList() ?? [];
                channels = profile.Preferences.ChannelRanking.Where(own.Contains).Distinct().Concat(own.Where(c => !profile.Preferences.ChannelRanking.Contains(c))).ToList();
            }

            (RecheckStatus, string, Channel, RecheckResult?)? deferred = null;
            (RecheckStatus, string, Channel, RecheckResult?)? blocked = null;
            List<string>? reasons = null;
            foreach (var channel in channels)
            {
                if (_anyRefused && _refused.ContainsKey((profile.Id, channel)))
                {
                    (reasons ??= []).Add(channel + ": " + EligibilityCodes.ContactPointSuppressed);
                    blocked ??= (RecheckStatus.Blocked, EligibilityCodes.ContactPointSuppressed, channel, null);
                    continue;
                }

                var result = runner._engine.Recheck(catalog, profile, send.MessageId, channel, trigger, at, at);
                switch (result.Status)
                {
                    case RecheckStatus.Allowed:
                        return (RecheckStatus.Allowed, result.Code, channel, result);
                    case RecheckStatus.Deferred when deferred is null || result.SendAt < deferred.Value.Item4!.SendAt:
                        deferred = (RecheckStatus.Deferred, result.Code, channel, result);
                        break;
                    case RecheckStatus.Blocked:
                        (reasons ??= []).Add(channel + ": " + result.Code);
                        blocked ??= (RecheckStatus.Blocked, result.Code, channel, result);
                        break;
                }
            }

            if (deferred is { } later)
            {
                return later;
            }

            if (blocked is { } first)
            {
                return reasons is not { Count: > 1 } ? first : (RecheckStatus.Blocked, first.Item2 + " (" + string.Join("; ", reasons!) + ")", first.Item3, first.Item4);
            }

            return (RecheckStatus.Blocked, JourneyCodesRuntime.NoChannel, send.Channel ?? Channel.Email, null);
        }

        /// <summary>Moves past step <paramref name="index"/> to <paramref name="target"/> (the next step when null; <c>end</c> completes).</summary>
        private void MoveTo(JourneyDefinition journey, JourneyWork current, int index, string? target, string outcome, string? detail)
        {
            var stepId = journey.Steps[index].Id;
            current.Record(new JourneyStepRecord(at, stepId, outcome, detail));
            var next = target is null ? index + 1 : string.Equals(target, JourneyDefinition.End, StringComparison.Ordinal) ? journey.Steps.Count : journey.IndexOf(target);
            if (next >= journey.Steps.Count)
            {
                End(current, JourneyStatus.Completed, null, stepId, at);
                return;
            }

            current.StepId = journey.Steps[next].Id;
            current.StepSince = at;
            current.Attempt = 0;
            current.WakeAt = at;
            current.WaitingFor = null;
        }

        private static void End(JourneyWork current, JourneyStatus status, string? reason, string stepId, DateTimeOffset at)
        {
            current.Record(new JourneyStepRecord(at, stepId, status == JourneyStatus.Completed ? JourneyOutcomes.Completed : JourneyOutcomes.Exited, reason));
            current.Status = status;
            current.StepId = null;
            current.WakeAt = null;
            current.WaitingFor = null;
            current.ExitReason = reason;
        }
    }

    /// <summary>A page as read for planning: the customers with the instances to advance, and the events their journeys look at.</summary>
    private sealed record PageInput(List<(StoredCustomer Customer, List<JourneyInstance> Instances)> Advancing, Dictionary<string, List<CustomerEvent>> Events);

    /// <summary>A planned page: the customers to write (each plan beside its write) and those with nothing to write (counted only).</summary>
    private sealed class PagePlans
    {
        public List<CustomerSends> Writes { get; } = [];

        public List<CustomerPlan> Plans { get; } = [];

        public List<CustomerPlan> Idle { get; } = [];

        /// <summary>Takes <paramref name="other"/>'s customers into this page (recorded together, in one transaction).</summary>
        public void Add(PagePlans other)
        {
            Writes.AddRange(other.Writes);
            Plans.AddRange(other.Plans);
            Idle.AddRange(other.Idle);
        }
    }

    private sealed class CustomerPlan(string customerId)
    {
        public string CustomerId { get; } = customerId;

        public List<JourneyInstance> Instances { get; } = [];

        public List<PendingSend> Sends { get; } = [];

        public List<string> Suppressed { get; } = [];

        public List<string> Exited { get; } = [];

        public List<SendError> Errors { get; } = [];

        public long Looked;
        public long Steps;
        public long Completed;

        public void Add(JourneyInstance instance, string? exitReason)
        {
            Instances.Add(instance);
            if (exitReason is not null)
            {
                Exited.Add(exitReason);
            }
        }
    }
}
