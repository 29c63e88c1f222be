using System.Threading.Channels;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.Diagnostics;
using Personalize.Eligibility;
using Personalize.Storage;

namespace Personalize.Sending;

public sealed partial class SendRunner
{
    /// <summary>At most how many planned pages a journey pass's write takes; the fewest a send run's write may take at most (<see cref="PagesPerWrite"/>).</summary>
    private const int MaxPagesPerWrite = 4;

    /// <summary>How many waiting pages a send run's write takes at most, when its pages are small enough (<see cref="PagesPerWrite"/>).</summary>
    private const int MaxSmallPagesPerWrite = 8;

    /// <summary>About how many customers a send run's write takes at most when its pages are small (<see cref="PagesPerWrite"/>).</summary>
    private const int MaxCustomersPerWrite = 4_000;

    /// <summary>
    /// At most how many decided pages a send run's recorder writes in one transaction (<see cref="Loop.TakeDecided"/>),
    /// and how many its queue of decided pages holds: as many pages as make up to <see cref="MaxCustomersPerWrite"/>
    /// customers, at least <see cref="MaxPagesPerWrite"/> and at most <see cref="MaxSmallPagesPerWrite"/> (8 pages of the
    /// default 500). A write takes only pages already decided, never waits for more: groups grow only while the
    /// recorder lags (ADR 0077). A commit's cost grows more slowly than its size (the delivery log's key index: a
    /// commit dirties at most every leaf of the run's region once), so a larger group writes fewer pages per message.
    /// </summary>
    private int PagesPerWrite => Math.Clamp(MaxCustomersPerWrite / _options.PageSize, MaxPagesPerWrite, MaxSmallPagesPerWrite);

    /// <summary>
    /// The key format a new run over the store records and makes: <see cref="IdempotencyKeyFormat.PageTagged"/> when the
    /// options ask for <see cref="IdempotencyKeyFormat.TimeOrdered"/> keys (the default: a run's keys sort by its instant,
    /// then by its page, ADR 0077), else the options' format.
    /// </summary>
    private IdempotencyKeyFormat NewRunKeyFormat
        => _options.IdempotencyKeyFormat == IdempotencyKeyFormat.TimeOrdered ? IdempotencyKeyFormat.PageTagged : _options.IdempotencyKeyFormat;

    /// <summary>
    /// About how many messages a run over the store holds between render and hand-over, per message of a customer: the
    /// pages queued for the deciders (two), the page being decided, the decided pages queued for the recorder (as many
    /// as one write takes: ADRs 0072, 0077) and the pages of the write in hand.
    /// </summary>
    private int InFlightMessages(int pagesPerWrite) => _options.PageSize * (2 + 1 + pagesPerWrite + pagesPerWrite);

    /// <summary>Gets or sets where runs over the store add up their stages' work and waits (null, the default: not measured; the <c>store-loop --stages</c> benchmark sets it).</summary>
    internal SendStageTimes? StageTimes { get; set; }

    /// <summary>How often a page's writes for one customer are tried again after a conflict (another write to the customer came in between).</summary>
    private const int MaxConflictAttempts = 8;

    /// <summary>
    /// Runs a send over the store's customers with the store as memory (the closed loop): customers are read a page at
    /// a time with their consent ledger and contact history, decided (caps, give-before-ask and message caps see every
    /// earlier send), rendered, and recorded — each message's delivery log entry and contact history record in one
    /// transaction per page, before the message goes to the sink; deferred messages become scheduled sends (not
    /// rendered). Then the messages go to the sink and are marked delivered. A customer written to by someone else
    /// meanwhile (a conflict) is read again and decided again.
    /// </summary>
    /// <remarks>
    /// The run is recorded in the store under <see cref="RunRecord.CreateId"/> of its trigger and instant. Running it
    /// again with the same instant after a crash resumes it: messages recorded but maybe not handed over are handed
    /// over first (<see cref="SendProgress.Recovered"/>; the sink skips keys it holds), and keys already recorded are not
    /// sent again (<see cref="SendProgress.AlreadyWritten"/>). A run the store holds as completed is not run again
    /// (<see cref="SendRunSummary.AlreadyCompleted"/>). A dry run reads the store and writes nothing.
    /// </remarks>
    /// <param name="run">The catalog, content, trigger, instant and dry-run flag.</param>
    /// <param name="store">The store: customers, history, delivery log, scheduled sends, run state.</param>
    /// <param name="progress">Receives snapshots every <see cref="SendingOptions.ProgressEvery"/> customers and at the end.</param>
    /// <param name="cancellationToken">Stops the run after the page in hand (what was recorded stays; run again to resume).</param>
    /// <returns>The summary.</returns>
    public async Task<SendRunSummary> RunAsync(SendRun run, IPersonalizeStore store, IProgress<SendProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(store);
        var at = run.At ?? _timeProvider.GetUtcNow();
        using var state = NewState(run, at, progress, RunKinds.Campaign);
        var runId = RunRecord.CreateId(state.TriggerText, at);
        var existing = await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (existing is { Status: RunStatus.Completed })
        {
            state.AlreadyCompleted(runId);
            return new SendRunSummary { Totals = state.Snapshot(), Errors = [], At = at, DryRun = run.DryRun, RunId = runId, AlreadyCompleted = true };
        }

        // A resumed run keeps the key format it started with (one started before an upgrade too), so its keys match
        // what it recorded then and nothing is sent twice (ADR 0075); a new one tags its keys per page (ADR 0077).
        state.KeyFormat = existing?.KeyFormat ?? NewRunKeyFormat;
        var now = _timeProvider.GetUtcNow();
        var record = new RunRecord { Id = runId, Trigger = state.TriggerText, At = at, Status = RunStatus.Running, StartedAt = existing?.StartedAt ?? now, UpdatedAt = now, KeyFormat = state.KeyFormat };
        var loop = new Loop(this, store, state, runId, record);
        state.Bodies = BodyPool(run, InFlightMessages(PagesPerWrite));
        state.Begin(runId);
        if (!run.DryRun)
        {
            await store.SaveRunAsync(record, cancellationToken).ConfigureAwait(false);
            if (existing is null && await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false) is { } saved && saved.KeyFormat != state.KeyFormat)
            {
                // Another process started the same run at the same moment with another format: the store kept its
                // record's format (a run's format is never changed once saved), so this process uses it too.
                state.KeyFormat = saved.KeyFormat;
                record = record with { KeyFormat = saved.KeyFormat };
            }

            await RecoverAsync(store, run.Catalog, run.Templates, state, cancellationToken).ConfigureAwait(false);
        }

        if (state.KeyFormat == IdempotencyKeyFormat.PageTagged)
        {
            // The pages an earlier attempt recorded: their customers get the tags their keys were made with.
            state.Tags = await RunPageTags.LoadAsync(store, runId, cancellationToken).ConfigureAwait(false);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pages = System.Threading.Channels.Channel.CreateBounded<IReadOnlyList<StoredCustomer>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var decided = System.Threading.Channels.Channel.CreateBounded<CustomerOutcome[]>(new BoundedChannelOptions(PagesPerWrite) { SingleReader = true, SingleWriter = true });
        var started = StageTimes?.Now ?? 0;
        var tasks = new[]
        {
            Task.Run(() => ReadPagesAsync(store, runId, pages.Writer, stop), CancellationToken.None),
            Task.Run(() => DecidePagesAsync(pages.Reader, decided.Writer, state, runId, stop), CancellationToken.None),
            Task.Run(() => loop.RecordPagesAsync(decided.Reader, stop), CancellationToken.None),
        };
        await WhenAllOrFirstFailure(tasks, cancellationToken).ConfigureAwait(false);
        StageTimes?.Wall(started);

        var totals = state.Snapshot();
        if (!run.DryRun)
        {
            // A run with errors stays open: running it again retries what failed (what was recorded is not sent twice).
            await loop.FinishAsync(record with { Status = totals.Errors == 0 ? RunStatus.Completed : RunStatus.Running }, cancellationToken).ConfigureAwait(false);
        }

        state.Complete(totals);
        progress?.Report(totals);
        return new SendRunSummary { Totals = totals, Errors = state.Errors.ToArray(), At = at, DryRun = run.DryRun, RunId = runId };
    }

    /// <summary>
    /// Sends what is due: reads the scheduled sends due at or before the instant, a page at a time, re-checks each at
    /// that instant (<see cref="DecisionEngine.Recheck"/>: consent, contact point, caps, timing, condition, expiry),
    /// renders and records the ones that may go (delivery log, contact history and the scheduled send marked sent, in
    /// one transaction), hands them to the sink, and records why the others were dropped (for example
    /// <c>consent.withdrawn_since_decision</c>) or until when they are deferred again. Messages an interrupted run or
    /// pass recorded but maybe did not hand over are handed over first.
    /// </summary>
    /// <param name="run">The catalog, its content and the instant.</param>
    /// <param name="store">The store.</param>
    /// <param name="progress">Receives snapshots (<see cref="SendProgress.Processed"/> counts scheduled sends) every <see cref="SendingOptions.ProgressEvery"/> and at the end.</param>
    /// <param name="cancellationToken">Stops the pass after the page in hand.</param>
    /// <returns>The summary: sent per channel, deferred again, dropped per reason (in <see cref="SendProgress.Suppressed"/>), already sent.</returns>
    public async Task<SendRunSummary> SendDueAsync(DueRun run, IPersonalizeStore store, IProgress<SendProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(store);
        ThrowIfOtherCatalog(run.Journeys, run.Catalog, nameof(DueRun));
        var at = run.At ?? _timeProvider.GetUtcNow();
        using var state = NewState(new SendRun(run.Catalog, run.Templates, Trigger.Tick) { At = at }, at, progress, RunKinds.Due);
        state.Begin(null);
        await RecoverAsync(store, run.Catalog, run.Templates, state, cancellationToken).ConfigureAwait(false);
        var loop = new Loop(this, store, state, null, null);
        string? token = null;
        do
        {
            var page = await store.ReadScheduledSendsAsync(new ScheduledSendQuery { DueBy = at, Limit = _options.PageSize, ContinueAfter = token }, cancellationToken).ConfigureAwait(false);
            if (page.Items.Count == 0)
            {
                break;
            }

            await loop.SendDueAsync(page.Items, run, 1, cancellationToken).ConfigureAwait(false);
            token = page.ContinueAfter;
        }
        while (token is not null && !run.StopAfterPage.IsCancellationRequested);

        JourneyPass? journeys = null;
        if (run.Journeys is { } set)
        {
            journeys = new JourneyPass(this, loop, state, set, run.Templates, at);
            await journeys.RunAsync(store, null, cancellationToken, run.StopAfterPage).ConfigureAwait(false);
        }

        await loop.FinishAsync(null, cancellationToken).ConfigureAwait(false);
        var totals = state.Snapshot();
        state.Complete(totals);
        progress?.Report(totals);
        return new SendRunSummary { Totals = totals, Errors = state.Errors.ToArray(), At = at, DryRun = false, Journeys = journeys?.Summary(state) };
    }

    private static async Task WhenAllOrFirstFailure(Task[] tasks, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The send run was cancelled.", cancellationToken);
        }
        catch (OperationCanceledException)
        {
            foreach (var task in tasks)
            {
                if (task.Exception?.InnerException is { } cause and not OperationCanceledException)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
                }
            }

            throw;
        }
    }

    /// <summary>Runs a pipeline stage's work; a failure cancels the other stages, and the stage's output completes either way.</summary>
    private static async Task Stage<T>(ChannelWriter<T> writer, CancellationTokenSource stop, Func<Task> work)
    {
        Exception? failure = null;
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            writer.TryComplete(failure);
        }
    }

    private Task ReadPagesAsync(IPersonalizeStore store, string runId, ChannelWriter<IReadOnlyList<StoredCustomer>> writer, CancellationTokenSource stop, string? after = null, string? upTo = null)
        => Stage(writer, stop, async () =>
        {
            var token = after;
            var times = StageTimes;
            do
            {
                // Without this run's own sends in the history, a resumed run decides as its first attempt did.
                var since = times?.Now ?? 0;
                var page = await store.ReadCustomersAsync(new CustomerQuery { Limit = _options.PageSize, ContinueAfter = token, UpTo = upTo, ExcludeHistoryOfRun = runId }, stop.Token).ConfigureAwait(false);
                times?.ReadWork(since);
                if (page.Items.Count > 0)
                {
                    since = times?.Now ?? 0;
                    await writer.WriteAsync(page.Items, stop.Token).ConfigureAwait(false);
                    times?.ReadBlocked(since);
                }

                token = page.ContinueAfter;
            }
            while (token is not null);
        });

    private Task DecidePagesAsync(ChannelReader<IReadOnlyList<StoredCustomer>> reader, ChannelWriter<CustomerOutcome[]> writer, RunState state, string runId, CancellationTokenSource stop)
        => Stage(writer, stop, async () =>
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = stop.Token };
            var times = StageTimes;
            var since = times?.Now ?? 0;
            await foreach (var page in reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                times?.DecideStarved(since);
                since = times?.Now ?? 0;
                var outcomes = new CustomerOutcome[page.Count];
                List<RunPage>? fresh = null;
                var tags = state.Tags?.Assign(page.Count, i => page[i].Id, out fresh);
                Parallel.For(0, page.Count, parallel, i => outcomes[i] = Decide(page[i], state, runId, tags?[i], stop.Token));
                if (outcomes.Length > 0)
                {
                    // The page's new ranges go to the store in the transaction that records its messages.
                    outcomes[0].RunPages = fresh;
                }

                times?.DecideWork(since);
                since = times?.Now ?? 0;
                await writer.WriteAsync(outcomes, stop.Token).ConfigureAwait(false);
                times?.DecideBlocked(since);
                since = times?.Now ?? 0;
            }
        });

    /// <summary>Decides for one stored customer and renders the messages that go now; deferred ones become scheduled sends. <paramref name="tag"/>: the customer's page tag (a page-tagged run's).</summary>
    private CustomerOutcome Decide(StoredCustomer stored, RunState state, string runId, string? tag, CancellationToken token)
    {
        var outcome = new CustomerOutcome(stored.Id, stored.Version);
        var customer = stored.Profile;
        Decision decision;
        try
        {
            decision = Decide(state.Run.Catalog, customer, state.Run.Trigger, state.At);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            outcome.Fail(new SendError(customer.Id, null, null, SendErrorCodes.DecisionFailed, ex.Message));
            return outcome;
        }

        var winners = decision.Winners;
        if (winners.Count == 0)
        {
            outcome.Suppressed = SuppressionCode(decision);
            return outcome;
        }

        for (var i = 0; i < winners.Count; i++)
        {
            var winner = winners[i];
            if (winner.IsDeferred)
            {
                // A deferred send's key stays a function of the send (time-ordered, no page tag): another run deferring
                // the same message to the same instant makes the same key, and the store keeps one scheduled send.
                outcome.Defer(new ScheduledSend
                {
                    IdempotencyKey = IdempotencyKey.Create(state.TriggerText, customer.Id, winner.MessageId, winner.SendAt, state.KeyFormat == IdempotencyKeyFormat.PageTagged ? IdempotencyKeyFormat.TimeOrdered : state.KeyFormat),
                    CustomerId = customer.Id,
                    MessageId = winner.MessageId,
                    Channel = winner.Channel,
                    Template = winner.Template,
                    Trigger = state.TriggerText,
                    Purpose = winner.Message.Purpose,
                    Kind = winner.Message.Kind,
                    DueAt = winner.SendAt,
                    DecidedAt = state.At,
                    RunId = runId,
                });
                continue;
            }

            if (TryRender(state.Run.Templates, customer, winner.Message, winner.Channel, winner.Template, state.TriggerText, winner.SendAt, out var error, token, bodies: state.Bodies, keyFormat: state.KeyFormat, keyTag: tag) is { } message)
            {
                outcome.Sends.Add(new PendingSend(message, ToDelivery(message, winner.Message.Kind, winner.Template, runId, RecordedState)));
                if (i + 1 < winners.Count)
                {
                    // The next message of this pass must see the ask (the store's write takes the asks from the sends).
                    customer = Profiling.AskedQuestions.Remember(customer, message);
                }
            }
            else
            {
                outcome.Fail(error!);
            }
        }

        outcome.PrepareWrites(state.Run.Catalog.Channels, stored);
        return outcome;
    }

    /// <summary>Makes what the sink took durable before the store records it as delivered (a sink that buffers, such as the file outbox, flushes).</summary>
    private ValueTask FlushSinkAsync(int delivered, CancellationToken cancellationToken)
        => delivered > 0 && _writer.Sink is IFlushableMessageSink flushable ? flushable.FlushAsync(cancellationToken) : ValueTask.CompletedTask;

    /// <summary>
    /// The state a message's delivery log entry is recorded in: <see cref="DeliveryState.Pending"/> (handed to the sink
    /// after the commit, then marked delivered with a later write), or <see cref="DeliveryState.Delivered"/> when the sink
    /// declares <see cref="IMessageSink.RecordAsDelivered"/> (the <see cref="NullSink"/> keeps nothing: there is no
    /// hand-over to guard with a pending entry and no mark to write afterwards; ADR 0063, 0064). Read once per runner.
    /// </summary>
    private DeliveryState RecordedState { get; }

    private static DeliveryRecord ToDelivery(OutgoingMessage message, MessageKind kind, string template, string? runId, DeliveryState state) => new()
    {
        IdempotencyKey = message.IdempotencyKey,
        CustomerId = message.CustomerId,
        MessageId = message.MessageId,
        Channel = message.Channel,
        Purpose = message.Purpose,
        Kind = kind,
        SentAt = message.SendAt,
        Trigger = message.Trigger,
        Template = template,
        RunId = runId,
        State = state,
    };

    /// <summary>
    /// Hands over again the messages recorded as pending (recorded, maybe not handed to the sink before a crash):
    /// renders each from the stored message, channel and template for the customer as stored now, with its recorded
    /// key, and marks it delivered; one that cannot be rendered any more is removed with its reason.
    /// </summary>
    private async Task RecoverAsync(IPersonalizeStore store, CompiledCatalog catalog, CompiledTemplates content, RunState state, CancellationToken cancellationToken, WorkClaim? share = null)
    {
        string? token = null;
        do
        {
            var page = await store.ReadDeliveriesAsync(new DeliveryQuery { State = DeliveryState.Pending, RunId = share?.RunId, Limit = _options.PageSize, ContinueAfter = token }, cancellationToken).ConfigureAwait(false);
            if (page.Items.Count == 0)
            {
                return;
            }

            if (share is not null)
            {
                // A worker hands over only what an earlier holder of its share left: other shares' pending messages
                // belong to workers that may be handing them over right now.
                page = page with { Items = page.Items.Where(d => d.CustomerId is not null && share.Contains(d.CustomerId)).ToList() };
            }

            var ids = page.Items.Where(static d => d.CustomerId is not null).Select(static d => d.CustomerId!).Distinct(StringComparer.Ordinal).ToList();
            var customers = (await store.GetCustomersAsync(ids, cancellationToken).ConfigureAwait(false)).ToDictionary(static c => c.Id, StringComparer.Ordinal);
            var events = await EventsOfAsync(store, page.Items.Select(static d => d.Trigger), cancellationToken).ConfigureAwait(false);
            var delivered = new List<string>();
            var failed = new List<DeliveryFailure>();
            using var batch = SinkBatch.Start(page.Items.Count, recovery: true);
            foreach (var entry in page.Items)
            {
                if (entry.CustomerId is null || !customers.TryGetValue(entry.CustomerId, out var customer))
                {
                    failed.Add(new DeliveryFailure(entry.IdempotencyKey, "customer.not_found"));
                    continue;
                }

                if (catalog.Find(entry.MessageId) is not { } definition)
                {
                    failed.Add(new DeliveryFailure(entry.IdempotencyKey, RecheckCodes.MessageRemoved));
                    continue;
                }

                var template = entry.Template ?? definition.Channels.FirstOrDefault(c => c.Channel == entry.Channel)?.Template;
                if (template is null)
                {
                    failed.Add(new DeliveryFailure(entry.IdempotencyKey, RecheckCodes.ChannelRemoved));
                    continue;
                }

                var answered = SplitTrigger(entry.Trigger).EventId is { } eventId && events.TryGetValue(eventId, out var found) ? found : null;
                if (TryRender(content, customer.Profile, definition, entry.Channel, template, entry.Trigger, entry.SentAt, out var error, cancellationToken, answered) is not { } message)
                {
                    state.Error(error!);
                    failed.Add(new DeliveryFailure(entry.IdempotencyKey, error!.Code + ": " + error.Message));
                    continue;
                }

                var outcome = await _writer.WriteOneAsync(message with { IdempotencyKey = entry.IdempotencyKey }, cancellationToken).ConfigureAwait(false);
                state.Sink(outcome);
                if (outcome.Failure is { } sinkFailure)
                {
                    state.Error(new SendError(entry.CustomerId, entry.MessageId, entry.Channel.Name, sinkFailure.SendErrorCode, sinkFailure.Describe()));
                    failed.Add(new DeliveryFailure(entry.IdempotencyKey, sinkFailure.SendErrorCode + ": " + sinkFailure.Error.Message));
                    continue;
                }

                delivered.Add(entry.IdempotencyKey);
            }

            await FlushSinkAsync(delivered.Count, cancellationToken).ConfigureAwait(false);
            await store.RecordAsync(new SendBatch { Delivered = delivered, Failed = failed }, cancellationToken).ConfigureAwait(false);
            state.AddRecovered(delivered.Count);
            token = page.ContinueAfter;
        }
        while (token is not null);
    }

    /// <summary>A rendered message and its delivery log entry.</summary>
    private sealed record PendingSend(OutgoingMessage Message, DeliveryRecord Delivery);

    /// <summary>
    /// What deciding one customer came to, before it is recorded: the messages to record and hand over, the deferred
    /// sends, errors or a suppression. It keeps the customer's id and version, not the profile: the profile (attributes,
    /// consent ledger, history) is dropped when the page is decided, so only the rendered messages wait for the recorder
    /// (fewer objects outlive a collection while pages are in flight), and the store's write for the customer is built
    /// here, by the deciding threads (<see cref="PrepareWrites"/>), not by the single recording one. The deferred sends
    /// and errors, which most customers do not have, get a list only when the first one is added.
    /// </summary>
    private sealed class CustomerOutcome(string customerId, long version) : IFactsAtWrite
    {
        private List<ScheduledSend>? _deferred;
        private List<SendError>? _errors;

        // The count of the asked question before this customer's one message with a question, when the facts its write
        // replaces are that ask alone (ADR 0088): the facts are then made when the store reads them (Make), not here.
        private long _askedBefore;

        public string CustomerId { get; } = customerId;

        public long Version { get; } = version;

        /// <summary>Gets the store's write for this customer (set by <see cref="PrepareWrites"/> when there is something to write).</summary>
        public CustomerSends? Writes { get; private set; }

        public List<PendingSend> Sends { get; } = [];

        public IReadOnlyList<ScheduledSend> Deferred => (IReadOnlyList<ScheduledSend>?)_deferred ?? [];

        public IReadOnlyList<SendError> Errors => (IReadOnlyList<SendError>?)_errors ?? [];

        public string? Suppressed { get; set; }

        /// <summary>Gets or sets the new run pages to record with this outcome's write (set on a page's first outcome; ADR 0077).</summary>
        public List<RunPage>? RunPages { get; set; }

        public bool HasWrites => Sends.Count > 0 || _deferred is { Count: > 0 };

        public void Defer(ScheduledSend send) => (_deferred ??= []).Add(send);

        public void Fail(SendError error) => (_errors ??= []).Add(error);

        /// <summary>Builds the store's write for the sends and deferrals decided for <paramref name="stored"/> (the customer as read).</summary>
        public void PrepareWrites(ChannelRegistry channels, StoredCustomer stored)
        {
            if (HasWrites)
            {
                var facts = stored.Profile.Facts;
                var alone = Asking() is { } asking && Profiling.AskedQuestions.IsAlone(facts, asking, out _askedBefore);
                Writes = new CustomerSends
                {
                    CustomerId = CustomerId,
                    ExpectedVersion = Version,
                    Deliveries = DeliveriesOf(Sends),
                    ContactPoints = ContactPointsOf(channels, stored.Profile, Sends),
                    Scheduled = Deferred,
                    Facts = alone ? null : AskedFacts(facts, Sends),
                    FactsAtWrite = alone ? this : null,
                };
            }
        }

        /// <summary>The facts of a write <see cref="PrepareWrites"/> left to the store's read: the one ask, made anew each call.</summary>
        public Events.CustomerFacts Make() => Profiling.AskedQuestions.Alone(Asking()!, _askedBefore);

        /// <summary>The message with a question when exactly one of the sends carries one, else <see langword="null"/>.</summary>
        private OutgoingMessage? Asking()
        {
            OutgoingMessage? asking = null;
            foreach (var send in Sends)
            {
                if (send.Message.QuestionId is not null)
                {
                    if (asking is not null)
                    {
                        return null;
                    }

                    asking = send.Message;
                }
            }

            return asking;
        }

        /// <summary>Forgets what was to be written (the store refused the customer's writes).</summary>
        public void DropWrites()
        {
            Sends.Clear();
            _deferred = null;
        }
    }

    /// <summary>
    /// The recording side of a run or due pass (one task): writes a page in one transaction, hands the new messages to
    /// the sink, remembers which keys the sink took (marked delivered with the next page) and redoes conflicts.
    /// </summary>
    private sealed class Loop(SendRunner runner, IPersonalizeStore store, RunState state, string? runId, RunRecord? record)
    {
        private readonly WorkerTally _tally = new(state.At);
        private List<string> _delivered = [];

        /// <summary>Gets or sets what runs after each page is recorded, with the page's last customer id (a worker reports its progress there).</summary>
        public Func<string, CancellationToken, Task>? AfterPage { get; set; }
        private List<DeliveryFailure> _failed = [];

        public async Task RecordPagesAsync(ChannelReader<CustomerOutcome[]> reader, CancellationTokenSource stop)
        {
            try
            {
                var times = runner.StageTimes;
                var since = times?.Now ?? 0;
                await foreach (var page in reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
                {
                    times?.RecordStarved(since);
                    var outcomes = TakeDecided(page, reader, runner.PagesPerWrite);
                    await RecordAsync(outcomes, 1, stop.Token).ConfigureAwait(false);
                    since = times?.Now ?? 0;
                    if (AfterPage is not null && outcomes.Count > 0)
                    {
                        await AfterPage(outcomes[^1].CustomerId, stop.Token).ConfigureAwait(false);
                    }
                }
            }
            catch
            {
                state.Merge(_tally);
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        /// <summary>
        /// The pages to record in one transaction: <paramref name="first"/> and those decided meanwhile, up to
        /// <paramref name="pagesPerWrite"/> (a group commit, <see cref="PagesPerWrite"/>). A commit waits for the log to
        /// reach the disk (<c>synchronous = FULL</c>) — on a virtual disk several milliseconds, during which this stage
        /// can do nothing else — so when the deciders are ahead, one commit for the waiting pages instead of one each
        /// takes that wait off the run's critical path; when the recorder is ahead, it records each page as it comes.
        /// The decided pages' queue holds as many pages as a write takes, so a full group can wait while a commit is
        /// in hand and the deciders go on deciding meanwhile (ADRs 0072, 0077).
        /// </summary>
        private static IReadOnlyList<CustomerOutcome> TakeDecided(CustomerOutcome[] first, ChannelReader<CustomerOutcome[]> reader, int pagesPerWrite)
        {
            List<CustomerOutcome>? group = null;
            for (var taken = 1; taken < pagesPerWrite && reader.TryRead(out var next); taken++)
            {
                if (group is null)
                {
                    group = new List<CustomerOutcome>(first.Length * pagesPerWrite);
                    group.AddRange(first);
                }

                group.AddRange(next);
            }

            return (IReadOnlyList<CustomerOutcome>?)group ?? first;
        }

        /// <summary>Writes what is left (delivered marks, failures) with the final run record.</summary>
        public async Task FinishAsync(RunRecord? final, CancellationToken cancellationToken)
        {
            state.Merge(_tally);
            if (final is null && _delivered.Count == 0 && _failed.Count == 0)
            {
                return;
            }

            await runner.FlushSinkAsync(_delivered.Count, cancellationToken).ConfigureAwait(false);
            await store.RecordAsync(new SendBatch { Delivered = _delivered, Failed = _failed, Run = final is null ? null : Snapshot(final) }, cancellationToken).ConfigureAwait(false);
            _delivered = [];
            _failed = [];
        }

        private RunRecord? Snapshot(RunRecord? current)
        {
            if (current is null)
            {
                return null;
            }

            var totals = state.Snapshot();
            return current with
            {
                UpdatedAt = runner._timeProvider.GetUtcNow(),
                Processed = totals.Processed,
                Sent = totals.TotalSent,
                Scheduled = totals.Deferred,
                AlreadySent = totals.AlreadyWritten,
                Errors = totals.Errors,
            };
        }

        private async Task RecordAsync(IReadOnlyList<CustomerOutcome> outcomes, int attempt, CancellationToken token)
        {
            var writes = new List<CustomerSends>();
            var owners = new List<CustomerOutcome>();
            List<RunPage>? runPages = null;
            foreach (var outcome in outcomes)
            {
                if (outcome.RunPages is { } pages)
                {
                    (runPages ??= []).AddRange(pages);
                }

                if (outcome.Writes is { } write)
                {
                    writes.Add(write);
                    owners.Add(outcome);
                }
                else
                {
                    Finish(outcome);
                }
            }

            if (state.Run.DryRun)
            {
                foreach (var outcome in owners)
                {
                    foreach (var send in outcome.Sends)
                    {
                        _tally.Count(send.Message);
                    }

                    _tally.Deferred += outcome.Deferred.Count;
                    Finish(outcome);
                }

                state.Merge(_tally);
                return;
            }

            await runner.FlushSinkAsync(_delivered.Count, token).ConfigureAwait(false);
            var times = runner.StageTimes;
            var since = times?.Now ?? 0;
            var result = await store.RecordAsync(new SendBatch { Customers = writes, Delivered = _delivered, Failed = _failed, Run = Snapshot(record), RunPages = (IReadOnlyList<RunPage>?)runPages ?? [] }, token).ConfigureAwait(false);
            times?.RecordStore(since);
            since = times?.Now ?? 0;
            _delivered = [];
            _failed = [];
            List<string>? conflicts = null;
            using var batch = SinkBatch.Start(owners.Sum(static o => o.Sends.Count));
            for (var i = 0; i < owners.Count; i++)
            {
                var outcome = owners[i];
                var written = result.Customers[i];
                switch (written.Status)
                {
                    case WriteStatus.Written:
                        foreach (var send in outcome.Sends)
                        {
                            await HandOverAsync(send, written, token).ConfigureAwait(false);
                        }

                        var deferrals = outcome.Deferred;
                        for (var d = 0; d < deferrals.Count; d++)
                        {
                            if (written.WasAlreadyRecorded(deferrals[d].IdempotencyKey))
                            {
                                _tally.AlreadyWritten++;
                            }
                            else
                            {
                                _tally.Deferred++;
                            }
                        }

                        Finish(outcome);
                        break;
                    case WriteStatus.Conflict when attempt < MaxConflictAttempts:
                        (conflicts ??= []).Add(outcome.CustomerId);
                        break;
                    case WriteStatus.Conflict:
                        outcome.Fail(new SendError(outcome.CustomerId, null, null, SendErrorCodes.StoreConflict, $"The customer was written to by someone else {attempt} times while being decided; run again to retry."));
                        outcome.DropWrites();
                        Finish(outcome);
                        break;
                    default:
                        outcome.DropWrites();
                        outcome.Suppressed = "customer.not_found";
                        Finish(outcome);
                        break;
                }
            }

            times?.RecordHandOver(since);
            state.Merge(_tally);
            if (conflicts is not null)
            {
                // Read the customers again (with the write that came in between) and decide again. A page-tagged run
                // reads its pages again too: the conflict may be a page another process recorded meanwhile, whose tags
                // these customers' keys must carry.
                var fresh = (await store.GetCustomersAsync(conflicts, token).ConfigureAwait(false)).OrderBy(static c => c.Id, StringComparer.Ordinal).ToList();
                List<RunPage>? redoPages = null;
                string[]? tags = null;
                if (state.Tags is { } known)
                {
                    await known.RefreshAsync(store, token).ConfigureAwait(false);
                    tags = known.Assign(fresh.Count, i => fresh[i].Id, out redoPages);
                }

                var redo = fresh.Select((c, i) => runner.Decide(c, state, runId!, tags?[i], token)).ToList();
                if (redo.Count > 0)
                {
                    redo[0].RunPages = redoPages;
                }

                if (fresh.Count < conflicts.Count)
                {
                    foreach (var id in conflicts.Except(fresh.Select(static c => c.Id), StringComparer.Ordinal))
                    {
                        redo.Add(new CustomerOutcome(id, 0) { Suppressed = "customer.not_found" });
                    }
                }

                await RecordAsync(redo, attempt + 1, token).ConfigureAwait(false);
            }
        }

        /// <summary>One page of due sends: re-check per customer in order, record, hand over, redo conflicts.</summary>
        public async Task SendDueAsync(IReadOnlyList<ScheduledSend> sends, DueRun run, int attempt, CancellationToken token)
        {
            var byCustomer = sends.GroupBy(static s => s.CustomerId, StringComparer.Ordinal).ToList();
            var events = await EventsOfAsync(store, sends.Select(static s => s.Trigger), token).ConfigureAwait(false);
            var customers = (await store.GetCustomersAsync(byCustomer.Select(static g => g.Key).ToList(), token).ConfigureAwait(false))
                .ToDictionary(static c => c.Id, StringComparer.Ordinal);
            var writes = new List<CustomerSends>();
            var groups = new List<(StoredCustomer Customer, List<ScheduledSend> Sends, List<PendingSend> Messages, List<ScheduledSendCompletion> Completions, List<SendError> Errors)>();
            foreach (var group in byCustomer)
            {
                if (!customers.TryGetValue(group.Key, out var customer))
                {
                    foreach (var _ in group)
                    {
                        _tally.Processed++;
                        _tally.Suppress("customer.not_found");
                    }

                    continue;
                }

                var profile = customer.Profile;
                var messages = new List<PendingSend>();
                var completions = new List<ScheduledSendCompletion>();
                var errors = new List<SendError>();
                foreach (var send in group)
                {
                    var (trigger, eventId) = SplitTrigger(send.Trigger);
                    var answered = eventId is not null && events.TryGetValue(eventId, out var found) ? found : null;
                    var check = runner._engine.Recheck(run.Catalog, profile, send.MessageId, send.Channel, trigger, send.DecidedAt, state.At, answered);
                    if (check.Status == RecheckStatus.Deferred)
                    {
                        completions.Add(new ScheduledSendCompletion { IdempotencyKey = send.IdempotencyKey, State = ScheduledSendState.Scheduled, DueAt = check.SendAt, At = state.At });
                        continue;
                    }

                    var code = check.Code;
                    if (check.IsAllowed)
                    {
                        if (runner.TryRender(run.Templates, profile, check.Message!, send.Channel, check.Template!, send.Trigger, state.At, out var error, token, answered) is { } rendered)
                        {
                            var message = rendered with { IdempotencyKey = send.IdempotencyKey };
                            messages.Add(new PendingSend(message, ToDelivery(message, send.Kind, check.Template!, send.RunId, runner.RecordedState)));
                            completions.Add(new ScheduledSendCompletion { IdempotencyKey = send.IdempotencyKey, State = ScheduledSendState.Sent, At = state.At });

                            // The next due send of this customer counts this one toward its caps.
                            profile = Profiling.AskedQuestions.Remember(profile with { History = profile.History.Append(messages[^1].Delivery.ToContactRecord()) }, message);
                            continue;
                        }

                        errors.Add(error!);
                        code = error!.Code;
                    }

                    completions.Add(new ScheduledSendCompletion { IdempotencyKey = send.IdempotencyKey, State = ScheduledSendState.Dropped, Reason = code, At = state.At });
                }

                writes.Add(new CustomerSends { CustomerId = customer.Id, ExpectedVersion = customer.Version, Deliveries = DeliveriesOf(messages), ContactPoints = ContactPointsOf(run.Catalog.Channels, profile, messages), Completions = completions, Facts = AskedFacts(customer.Profile.Facts, messages) });
                groups.Add((customer, group.ToList(), messages, completions, errors));
            }

            await runner.FlushSinkAsync(_delivered.Count, token).ConfigureAwait(false);
            var result = await store.RecordAsync(new SendBatch { Customers = writes, Delivered = _delivered, Failed = _failed }, token).ConfigureAwait(false);
            _delivered = [];
            _failed = [];
            List<ScheduledSend>? redo = null;
            using var batch = SinkBatch.Start(groups.Sum(static g => g.Messages.Count));
            for (var i = 0; i < groups.Count; i++)
            {
                var (customer, groupSends, messages, completions, errors) = groups[i];
                var written = result.Customers[i];
                if (written.Status == WriteStatus.Conflict && attempt < MaxConflictAttempts)
                {
                    (redo ??= []).AddRange(groupSends);
                    continue;
                }

                if (written.Status != WriteStatus.Written)
                {
                    var code = written.Status == WriteStatus.Conflict ? SendErrorCodes.StoreConflict : "customer.not_found";
                    _tally.Processed += groupSends.Count;
                    for (var n = 0; n < groupSends.Count; n++)
                    {
                        _tally.Suppress(code);
                    }

                    continue;
                }

                foreach (var error in errors)
                {
                    state.Error(error);
                }

                foreach (var send in messages)
                {
                    await HandOverAsync(send, written, token).ConfigureAwait(false);
                }

                foreach (var completion in completions)
                {
                    // A send the store refused as suppressed was counted by HandOverAsync.
                    _tally.Processed++;
                    if (completion.State == ScheduledSendState.Scheduled)
                    {
                        _tally.Deferred++;
                    }
                    else if (completion.State == ScheduledSendState.Dropped && !written.WasAlreadyRecorded(completion.IdempotencyKey))
                    {
                        _tally.Suppress(completion.Reason!);
                    }
                }
            }

            state.Merge(_tally);
            if (redo is not null)
            {
                await SendDueAsync(redo, run, attempt + 1, token).ConfigureAwait(false);
            }
        }

        /// <summary>The tally of this loop (event ingestion and ticks count into it).</summary>
        public WorkerTally Tally => _tally;

        /// <summary>Writes a page of customer writes with the delivered marks and failures of the previous page.</summary>
        public async Task<SendBatchResult> WriteAsync(IReadOnlyList<CustomerSends> writes, CancellationToken token)
        {
            var result = await store.RecordAsync(new SendBatch { Customers = writes, Delivered = _delivered, Failed = _failed }, token).ConfigureAwait(false);
            _delivered = [];
            _failed = [];
            return result;
        }

        public void Merge() => state.Merge(_tally);

        /// <summary>
        /// Hands a recorded send to the sink, unless the store held its key already (counted as already written) or
        /// refused it because its contact point is on the suppression list (counted under <c>contact_point.suppressed</c>).
        /// </summary>
        public Task HandOverAsync(PendingSend send, CustomerSendsResult written, CancellationToken token)
        {
            var key = send.Delivery.IdempotencyKey;
            if (written.WasSuppressed(key))
            {
                _tally.Suppress(EligibilityCodes.ContactPointSuppressed);
                Log.MessageSuppressed(runner._telemetry.SendLogger, send.Message.CustomerId, send.Message.MessageId, EligibilityCodes.ContactPointSuppressed);
                return Task.CompletedTask;
            }

            if (written.WasAlreadyRecorded(key))
            {
                _tally.AlreadyWritten++;
                return Task.CompletedTask;
            }

            return HandOverAsync(send, token);
        }

        /// <summary>
        /// Hands a recorded send to the sink. A sink that completes synchronously (the common case: a file, the console,
        /// the null sink, a buffering sink) is handled without an async method per message: the recorder hands over
        /// every message of a page on its own thread, and the state machine was part of its managed work per message.
        /// </summary>
        public Task HandOverAsync(PendingSend send, CancellationToken token)
        {
            var writing = runner._writer.WriteOneAsync(send.Message, token);
            if (writing.IsCompletedSuccessfully)
            {
                HandedOver(send, writing.Result);
                return Task.CompletedTask;
            }

            return HandOverLaterAsync(send, writing);
        }

        private async Task HandOverLaterAsync(PendingSend send, ValueTask<SinkOutcome> writing)
            => HandedOver(send, await writing.ConfigureAwait(false));

        /// <summary>Counts a send the sink took (or remembers its failure for the next write).</summary>
        private void HandedOver(PendingSend send, SinkOutcome outcome)
        {
            state.Sink(outcome);
            if (outcome.Failure is { } failure)
            {
                state.Error(new SendError(send.Message.CustomerId, send.Message.MessageId, send.Message.Channel.Name, failure.SendErrorCode, failure.Describe()));
                _failed.Add(new DeliveryFailure(send.Delivery.IdempotencyKey, failure.SendErrorCode + ": " + failure.Error.Message));
                return;
            }

            if (send.Delivery.State == DeliveryState.Pending)
            {
                // Marked delivered with the next write (an entry recorded as delivered needs no mark).
                _delivered.Add(send.Delivery.IdempotencyKey);
            }

            if (outcome.Skipped)
            {
                _tally.AlreadyWritten++;
            }
            else
            {
                _tally.Count(send.Message);
            }

            ReleaseBodies(send.Message);
        }

        private void Finish(CustomerOutcome outcome)
        {
            _tally.Processed++;
            var errors = outcome.Errors;
            for (var i = 0; i < errors.Count; i++)
            {
                state.Error(errors[i]);
            }

            if (outcome.Suppressed is { } code)
            {
                _tally.Suppress(code);
            }
        }
    }
}
