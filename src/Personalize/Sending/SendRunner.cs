using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.Diagnostics;
using Personalize.Eligibility;
using Personalize.Events;
using Personalize.Storage;
using Personalize.Templates;
using Channel = Personalize.Channels.Channel;

namespace Personalize.Sending;

/// <summary>
/// Runs a send: streams customers, decides for each, renders every winner and writes it to the sink, with bounded
/// parallelism (<see cref="SendingOptions.MaxDegreeOfParallelism"/>, the core count by default) and bounded memory
/// (a queue of at most <see cref="SendingOptions.QueueCapacity"/> customers: the stream is read only as fast as the
/// workers take customers, so ten million customers are never held at once). One customer's failure (a template
/// error, content that cannot go out, a sink that keeps failing) is recorded and the run goes on. A resumed run
/// skips every message the sink already holds (by idempotency key) — pass the same <see cref="SendRun.At"/>.
/// </summary>
public sealed partial class SendRunner
{
    private readonly DecisionEngine _engine;
    private readonly MessageRenderer _renderer;
    private readonly SinkWriter _writer;
    private readonly SendingOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly PersonalizeTelemetry _telemetry;

    /// <summary>Creates the runner, reporting metrics and traces through <see cref="PersonalizeTelemetry.Default"/> (no logs).</summary>
    /// <param name="engine">Decides per customer.</param>
    /// <param name="renderer">Renders winners into messages.</param>
    /// <param name="writer">Writes messages to the sink, with retries; its sink answers which keys it holds.</param>
    /// <param name="options">Parallelism, queue size, error and progress settings.</param>
    /// <param name="timeProvider">The clock (the run instant when <see cref="SendRun.At"/> is not given, and elapsed time).</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public SendRunner(DecisionEngine engine, MessageRenderer renderer, SinkWriter writer, SendingOptions options, TimeProvider timeProvider)
        : this(engine, renderer, writer, options, timeProvider, PersonalizeTelemetry.Default)
    {
    }

    /// <summary>Creates the runner with its telemetry (logs, metrics, traces).</summary>
    /// <param name="engine">Decides per customer.</param>
    /// <param name="renderer">Renders winners into messages.</param>
    /// <param name="writer">Writes messages to the sink, with retries; its sink answers which keys it holds.</param>
    /// <param name="options">Parallelism, queue size, error and progress settings.</param>
    /// <param name="timeProvider">The clock (the run instant when <see cref="SendRun.At"/> is not given, elapsed time and durations).</param>
    /// <param name="telemetry">Where runs, failures, decisions and sends are logged and measured.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public SendRunner(DecisionEngine engine, MessageRenderer renderer, SinkWriter writer, SendingOptions options, TimeProvider timeProvider, PersonalizeTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid SendingOptions: " + string.Join(" ", problems), nameof(options));
        }

        _engine = engine;
        _renderer = renderer;
        _writer = writer;
        _options = options;
        _timeProvider = timeProvider;
        _telemetry = telemetry;
        RecordedState = writer.Sink.RecordAsDelivered ? Storage.DeliveryState.Delivered : Storage.DeliveryState.Pending;
        ReusesBodies = writer.Sink.ReleasesMessageAfterWrite;
    }

    /// <summary>
    /// Whether the sink declares <see cref="IMessageSink.ReleasesMessageAfterWrite"/>: runs then render email bodies into a
    /// per-run <see cref="BodyBufferPool"/> and give the arrays back after each successful hand-over. Read once per runner.
    /// </summary>
    private bool ReusesBodies { get; }

    /// <summary>
    /// The body pool of a run that hands its messages to a sink declaring <see cref="IMessageSink.ReleasesMessageAfterWrite"/>
    /// (<see langword="null"/> otherwise, and for a dry run, which hands nothing over), keeping up to
    /// <paramref name="inFlight"/> arrays per size: about as many messages as the run holds between render and hand-over.
    /// </summary>
    private BodyBufferPool? BodyPool(SendRun run, int inFlight) => ReusesBodies && !run.DryRun ? new BodyBufferPool(inFlight) : null;

    /// <summary>Runs a send over a finite list of customers.</summary>
    /// <param name="run">The catalog, content, trigger, instant and dry-run flag.</param>
    /// <param name="customers">The customers.</param>
    /// <param name="progress">Receives snapshots every <see cref="SendingOptions.ProgressEvery"/> customers and at the end.</param>
    /// <param name="cancellationToken">Stops the run promptly (the customers in flight finish; the task is cancelled).</param>
    /// <returns>The summary.</returns>
    public Task<SendRunSummary> RunAsync(SendRun run, IEnumerable<CustomerProfile> customers, IProgress<SendProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customers);
        return RunAsync(run, ToAsync(customers), progress, cancellationToken);
    }

    /// <summary>Runs a send over a stream of customers.</summary>
    /// <param name="run">The catalog, content, trigger, instant and dry-run flag.</param>
    /// <param name="customers">The customers, read once, no faster than the workers take them.</param>
    /// <param name="progress">Receives snapshots every <see cref="SendingOptions.ProgressEvery"/> customers and at the end.</param>
    /// <param name="cancellationToken">Stops the run promptly (the customers in flight finish; the task is cancelled).</param>
    /// <returns>The summary.</returns>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public async Task<SendRunSummary> RunAsync(SendRun run, IAsyncEnumerable<CustomerProfile> customers, IProgress<SendProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(customers);
        using var state = NewState(run, run.At ?? _timeProvider.GetUtcNow(), progress, RunKinds.Campaign);
        state.Bodies = BodyPool(run, 4 * _options.Parallelism);
        state.Begin(null);
        var queue = System.Threading.Channels.Channel.CreateBounded<CustomerProfile>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleWriter = true,
            SingleReader = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var refill = new Refill(_options.QueueCapacity / 2);
        var tasks = new Task[_options.Parallelism + 1];
        tasks[0] = ProduceAsync(customers, queue.Writer, refill, stop);
        for (var i = 1; i < tasks.Length; i++)
        {
            tasks[i] = Task.Run(() => WorkAsync(queue.Reader, state, refill, stop), CancellationToken.None);
        }

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
            // One task failed and cancelled the others: surface the failure, not a cancellation it caused.
            foreach (var task in tasks)
            {
                if (task.Exception?.InnerException is { } cause and not OperationCanceledException)
                {
                    ExceptionDispatchInfo.Throw(cause);
                }
            }

            throw;
        }

        // A sink that buffers (a file outbox flushing emails in groups) makes the run's messages durable before it ends.
        await FlushSinkAsync(run.DryRun ? 0 : 1, cancellationToken).ConfigureAwait(false);
        var totals = state.Snapshot();
        state.Complete(totals);
        progress?.Report(totals);
        return new SendRunSummary { Totals = totals, Errors = state.Errors.ToArray(), At = state.At, DryRun = run.DryRun };
    }

    private static async Task ProduceAsync(IAsyncEnumerable<CustomerProfile> customers, ChannelWriter<CustomerProfile> writer, Refill refill, CancellationTokenSource stop)
    {
        Exception? failure = null;
        try
        {
            await foreach (var customer in customers.WithCancellation(stop.Token).ConfigureAwait(false))
            {
                // A full queue parks the reader of the stream until the workers have taken half of it: one wake-up per
                // half queue instead of one per customer (a bounded channel's WriteAsync resumes at every free slot).
                while (!writer.TryWrite(customer))
                {
                    refill.Park();
                    if (writer.TryWrite(customer))
                    {
                        await refill.UnparkAsync(stop.Token).ConfigureAwait(false);
                        break;
                    }

                    await refill.WaitAsync(stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            writer.TryComplete(failure);
        }
    }

    private async Task WorkAsync(ChannelReader<CustomerProfile> reader, RunState state, Refill refill, CancellationTokenSource stop)
    {
        var token = stop.Token;
        var tally = new WorkerTally(state.At);
        try
        {
            var messages = new List<OutgoingMessage>(2);
            var flushEvery = state.FlushEvery;
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var customer))
                {
                    refill.Taken(reader);
                    token.ThrowIfCancellationRequested();
                    ProcessCustomer(customer, state, tally, messages, token);
                    if (messages.Count > 0)
                    {
                        if (!state.Run.DryRun)
                        {
                            await WriteAsync(messages, state, tally, token).ConfigureAwait(false);
                        }
                        else
                        {
                            foreach (var message in messages)
                            {
                                tally.Count(message);
                            }
                        }

                        messages.Clear();
                    }

                    if (++tally.Processed >= flushEvery)
                    {
                        state.Merge(tally);
                    }
                }

                // The queue is empty for now: hand in what this worker counted before it waits.
                state.Merge(tally);
            }
        }
        catch
        {
            state.Merge(tally);
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void ProcessCustomer(CustomerProfile customer, RunState state, WorkerTally tally, List<OutgoingMessage> messages, CancellationToken token)
    {
        Decision decision;
        try
        {
            decision = Decide(state.Run.Catalog, customer, state.Run.Trigger, state.At);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            state.Error(new SendError(customer.Id, null, null, SendErrorCodes.DecisionFailed, ex.Message));
            return;
        }

        var winners = decision.Winners;
        if (winners.Count == 0)
        {
            tally.Suppress(SuppressionCode(decision));
            return;
        }

        for (var i = 0; i < winners.Count; i++)
        {
            var winner = winners[i];
            if (TryRender(state.Run.Templates, customer, winner.Message, winner.Channel, winner.Template, state.TriggerText, winner.SendAt, out var error, token, bodies: state.Bodies, keyFormat: state.KeyFormat) is { } message)
            {
                messages.Add(message);
            }
            else
            {
                state.Error(error!);
            }
        }
    }

    /// <summary>Renders one message; a template, content or missing-template failure becomes a <see cref="SendError"/> instead of an exception.</summary>
    private OutgoingMessage? TryRender(CompiledTemplates content, CustomerProfile customer, Catalog.MessageDefinition message, Channel channel, string template, string trigger, DateTimeOffset sendAt, out SendError? error, CancellationToken token, Events.CustomerEvent? @event = null, BodyBufferPool? bodies = null, IdempotencyKeyFormat? keyFormat = null, string? keyTag = null)
    {
        error = null;
        var timed = _telemetry.RenderDuration.Enabled;
        var started = timed ? _timeProvider.GetTimestamp() : 0;
        try
        {
            var rendered = _renderer.Render(content, customer, message, channel, template, trigger, sendAt, @event, bodies, keyFormat ?? _options.IdempotencyKeyFormat, token, keyTag);
            if (timed)
            {
                _telemetry.RenderDuration.Record(_timeProvider.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(TelemetryTags.Channel, channel.Name));
            }

            return rendered;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw;
        }
        catch (TemplateRuntimeException ex)
        {
            error = new SendError(customer.Id, message.Id, channel.Name, SendErrorCodes.TemplateError, ex.Detail)
            {
                Template = ex.SourceName,
                Line = ex.Line,
                Column = ex.Column,
            };
        }
        catch (MessageContentException ex)
        {
            error = new SendError(customer.Id, message.Id, channel.Name, ex.Code, ex.Message);
        }
        catch (MessageTemplateException ex)
        {
            error = new SendError(customer.Id, message.Id, channel.Name, SendErrorCodes.TemplateMissing, ex.Message) { Template = template };
        }
        catch (Exception ex)
        {
            error = new SendError(customer.Id, message.Id, channel.Name, SendErrorCodes.Unexpected, ex.GetType().Name + ": " + ex.Message) { Template = template };
        }

        return null;
    }

    private async ValueTask WriteAsync(List<OutgoingMessage> messages, RunState state, WorkerTally tally, CancellationToken token)
    {
        // Resume: what the sink already holds (by idempotency key) was written by an earlier run and is skipped.
        // The writer asks the sink once per message, in order, and says which case it was.
        foreach (var message in messages)
        {
            var outcome = await _writer.WriteOneAsync(message, token).ConfigureAwait(false);
            state.Sink(outcome);
            if (outcome.Failure is { } failure)
            {
                state.Error(new SendError(message.CustomerId, message.MessageId, message.Channel.Name, failure.SendErrorCode, failure.Describe()));
                continue;
            }

            if (outcome.Skipped)
            {
                tally.AlreadyWritten++;
            }
            else
            {
                tally.Count(message);
            }

            ReleaseBodies(message);
        }
    }

    /// <summary>
    /// Gives a handed-over message's pooled email bodies back to its run's pool (nothing for bodies of their own): called
    /// only after the sink's write completed without failure (a failed write's message is left to the collector, in case
    /// the failure holds on to it).
    /// </summary>
    private static void ReleaseBodies(OutgoingMessage message) => (message.Content as Channels.Email.EmailContent)?.ReleaseBodies();

    /// <summary>Decides for one customer, counting the decision and timing it when someone listens (<c>personalize.decisions</c>, <c>personalize.decision.duration</c>).</summary>
    private Decision Decide(Catalog.CompiledCatalog catalog, CustomerProfile customer, Catalog.Trigger trigger, DateTimeOffset at, Events.CustomerEvent? @event = null)
    {
        var telemetry = _telemetry;
        var timed = telemetry.DecisionDuration.Enabled;
        var started = timed ? _timeProvider.GetTimestamp() : 0;
        Decision decision;
        try
        {
            decision = _engine.Decide(catalog, customer, trigger, at, @event);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            telemetry.Decisions.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Outcome, "error"));
            throw;
        }

        if (timed)
        {
            telemetry.DecisionDuration.Record(_timeProvider.GetElapsedTime(started).TotalSeconds);
        }

        var winners = decision.Winners.Count;
        telemetry.Decisions.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Outcome, winners > 0 ? "message" : "none"));
        if (telemetry.SendLogger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
        {
            var candidates = decision.Candidates;
            for (var i = 0; i < candidates.Count; i++)
            {
                if (candidates[i].Status == CandidateStatus.Suppressed)
                {
                    Log.MessageSuppressed(telemetry.SendLogger, customer.Id, candidates[i].MessageId, candidates[i].Code);
                }
            }

            if (winners == 0)
            {
                Log.NoMessage(telemetry.SendLogger, customer.Id, SuppressionCode(decision));
            }
        }

        return decision;
    }

    private static string SuppressionCode(Decision decision)
    {
        // A message stopped only because the customer's address is on the suppression list is what the operator must
        // see: it wins over the other candidates' codes (a condition that was false anyway says less).
        var candidates = decision.Candidates;
        string? first = null;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates[i].Status != CandidateStatus.Suppressed)
            {
                continue;
            }

            if (candidates[i].Code == DecisionCodes.NoChannelAllowed && LostAChannelToSuppression(candidates[i]))
            {
                return EligibilityCodes.ContactPointSuppressed;
            }

            first ??= candidates[i].Code;
        }

        return first ?? (candidates.Count == 0 ? "no_candidate" : candidates[0].Code);
    }

    /// <summary>
    /// Whether a message that had no usable channel lost one of them to the suppression list (its contact point bounced
    /// or was blocked). Such a customer is counted under <c>contact_point.suppressed</c>, not <c>channel.none_allowed</c>:
    /// without the suppression it might have gone (<c>explain</c> gives every channel's reason).
    /// </summary>
    private static bool LostAChannelToSuppression(CandidateOutcome candidate)
    {
        foreach (var channel in candidate.Channels)
        {
            if (channel.Code == EligibilityCodes.ContactPointSuppressed)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The contact points a customer's sends go to, given to the store with the sends: it refuses, in the recording
    /// transaction, a send whose contact point is on its suppression list (listed by another worker or process since
    /// the decision). Push goes to every device token, so it is refused only when all of them are listed.
    /// </summary>
    private static DeliveryContactPoint[] ContactPointsOf(ChannelRegistry channels, CustomerProfile customer, List<PendingSend> sends)
    {
        // Counted first, then written into an array of that size (no list to copy from): a page records hundreds.
        var count = 0;
        foreach (var send in sends)
        {
            count += PointsOf(channels, customer.ContactPoints, send, default);
        }

        if (count == 0)
        {
            return [];
        }

        var points = new DeliveryContactPoint[count];
        var written = 0;
        foreach (var send in sends)
        {
            written += PointsOf(channels, customer.ContactPoints, send, points.AsSpan(written));
        }

        return points;
    }

    /// <summary>How many contact points one send goes to, written into <paramref name="into"/> unless it is empty (counting only).</summary>
    private static int PointsOf(ChannelRegistry channels, ContactPoints contact, PendingSend send, Span<DeliveryContactPoint> into)
    {
        if (!channels.TryGet(send.Message.Channel, out var definition))
        {
            return 0;
        }

        var key = send.Delivery.IdempotencyKey;
        switch (definition.ContactPoint)
        {
            case ContactPointKind.Email when contact.Email is { } email:
                if (!into.IsEmpty)
                {
                    into[0] = new DeliveryContactPoint(key, ContactPointKind.Email, email);
                }

                return 1;
            case ContactPointKind.Phone or ContactPointKind.MobilePhone when contact.Phone is { } phone:
                if (!into.IsEmpty)
                {
                    into[0] = new DeliveryContactPoint(key, ContactPointKind.Phone, phone);
                }

                return 1;
            case ContactPointKind.DeviceToken:
                if (!into.IsEmpty)
                {
                    for (var i = 0; i < contact.DeviceTokens.Count; i++)
                    {
                        into[i] = new DeliveryContactPoint(key, ContactPointKind.DeviceToken, contact.DeviceTokens[i]);
                    }
                }

                return contact.DeviceTokens.Count;
            default:
                return 0;
        }
    }

    /// <summary>The delivery log entries of a customer's sends, in their order.</summary>
    private static DeliveryRecord[] DeliveriesOf(List<PendingSend> sends)
    {
        if (sends.Count == 0)
        {
            return [];
        }

        var deliveries = new DeliveryRecord[sends.Count];
        for (var i = 0; i < deliveries.Length; i++)
        {
            deliveries[i] = sends[i].Delivery;
        }

        return deliveries;
    }

    /// <summary>The facts to write with a customer's sends, or <see langword="null"/> when none carries a question (<see cref="Profiling.AskedQuestions.Add"/> folded over them: nothing is allocated then, as for most customers); every run kind (campaign, event, journey) writes its asks through here.</summary>
    private static CustomerFacts? AskedFacts(CustomerFacts current, List<PendingSend> sends)
    {
        CustomerFacts? facts = null;
        foreach (var send in sends)
        {
            facts = Profiling.AskedQuestions.Add(current, facts, send.Message);
        }

        return facts;
    }

    private static async IAsyncEnumerable<CustomerProfile> ToAsync(IEnumerable<CustomerProfile> customers, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var customer in customers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return customer;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>Creates the state of one run (counters, errors, telemetry).</summary>
    private RunState NewState(SendRun run, DateTimeOffset at, IProgress<SendProgress>? progress, string kind)
        => new(run, at, _timeProvider, progress, _options.ProgressEvery, _options.MaxRecordedErrors, _telemetry, kind) { KeyFormat = _options.IdempotencyKeyFormat };

    /// <summary>The kinds of run (<c>personalize.run.kind</c>), each with its span name.</summary>
    private static class RunKinds
    {
        public const string Campaign = "campaign";
        public const string Due = "due";
        public const string Tick = "tick";
        public const string Events = "events";
        public const string Worker = "worker";
        public const string Journeys = "journeys";

        public static string SpanName(string kind) => kind switch
        {
            Campaign => "personalize.run campaign",
            Due => "personalize.run due",
            Tick => "personalize.run tick",
            Events => "personalize.run events",
            Journeys => "personalize.run journeys",
            _ => "personalize.run worker",
        };
    }

    private sealed class RunState : IDisposable
    {
        private readonly Dictionary<string, long> _sent = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _suppressed = new(StringComparer.Ordinal);
        private readonly object _gate = new();
        private readonly TimeProvider _time;
        private readonly long _started;
        private readonly IProgress<SendProgress>? _progress;
        private readonly int _every;
        private readonly int _maxErrors;
        private readonly PersonalizeTelemetry _telemetry;
        private readonly string _kind;
        private long _processed;
        private long _deferred;
        private long _alreadyWritten;
        private long _errors;
        private long _recovered;
        private System.Diagnostics.Activity? _activity;
        private string? _runId;
        private bool _begun;
        private bool _ended;
        private long _sinkRetries;
        private long _failedPermanently;

        /// <summary>Gets or sets the format of the keys this run makes: the options' for a new run, the recorded one for a resumed run.</summary>
        public IdempotencyKeyFormat KeyFormat { get; set; }

        /// <summary>Gets or sets the page tags of a run over the store whose keys are <see cref="IdempotencyKeyFormat.PageTagged"/> (ADR 0077), else <see langword="null"/>.</summary>
        public RunPageTags? Tags { get; set; }

        public RunState(SendRun run, DateTimeOffset at, TimeProvider time, IProgress<SendProgress>? progress, int every, int maxErrors, PersonalizeTelemetry telemetry, string kind)
        {
            Run = run;
            At = at;
            TriggerText = run.Trigger.ToString();
            _time = time;
            _started = time.GetTimestamp();
            _progress = progress;
            _every = every;
            _maxErrors = maxErrors;
            _telemetry = telemetry;
            _kind = kind;

            // Workers count into their own tally and merge it here every FlushEvery customers: no shared counter is
            // touched per customer, and progress still comes at every ProgressEvery boundary (a little late, at most
            // one flush interval per worker).
            FlushEvery = Math.Min(every, 32);
        }

        public SendRun Run { get; }

        public DateTimeOffset At { get; }

        public string TriggerText { get; }

        public int FlushEvery { get; }

        /// <summary>The pool the run renders email bodies into, or <see langword="null"/> (<see cref="BodyPool"/>).</summary>
        public BodyBufferPool? Bodies { get; set; }

        public ConcurrentQueue<SendError> Errors { get; } = new();

        public void AddRecovered(long count) => Interlocked.Add(ref _recovered, count);

        /// <summary>Counts what the sink writer did beyond one attempt: its retries, and a permanent refusal.</summary>
        public void Sink(in SinkOutcome outcome)
        {
            if (outcome.Retries > 0)
            {
                Interlocked.Add(ref _sinkRetries, outcome.Retries);
            }

            if (outcome.Failure is { Kind: SinkFailureKind.Permanent })
            {
                Interlocked.Increment(ref _failedPermanently);
            }
        }

        public void Error(SendError error)
        {
            _telemetry.Errors.Add(1, new KeyValuePair<string, object?>(TelemetryTags.ErrorCode, error.Code));
            if (Interlocked.Increment(ref _errors) <= _maxErrors)
            {
                Errors.Enqueue(error);

                // Logged as kept: a run with a million failures logs MaxRecordedErrors of them (all are counted).
                var logger = _telemetry.SendLogger;
                Log.CustomerFailed(logger, error.CustomerId, error.Code, error.MessageId, error.Channel);
                Log.CustomerFailedDetail(logger, error.CustomerId, error.Code, error.Message);
            }
        }

        /// <summary>Logs the start and opens the run's span (<paramref name="runId"/> null: made from the trigger and instant).</summary>
        public void Begin(string? runId)
        {
            _runId = runId ?? Storage.RunRecord.CreateId(TriggerText, At);
            _begun = true;
            Log.RunStarted(_telemetry.SendLogger, _kind, _runId, TriggerText, At);
            _activity = PersonalizeTelemetry.Source.StartActivity(RunKinds.SpanName(_kind));
            if (_activity is { IsAllDataRequested: true } activity)
            {
                activity.SetTag(TelemetryTags.RunKind, _kind);
                activity.SetTag(TelemetryTags.Trigger, TriggerText);
                activity.SetTag(TelemetryTags.RunId, _runId);
                activity.SetTag("personalize.dry_run", Run.DryRun);
            }
        }

        /// <summary>A run the store holds as completed: logged, nothing else.</summary>
        public void AlreadyCompleted(string runId)
        {
            _ended = true;
            Log.RunAlreadyCompleted(_telemetry.SendLogger, _kind, runId);
        }

        /// <summary>Logs the end with the counts, records the run's duration and closes its span.</summary>
        public void Complete(SendProgress totals)
        {
            if (_ended || !_begun)
            {
                return;
            }

            _ended = true;
            var elapsed = _time.GetElapsedTime(_started);
            Log.RunFinished(_telemetry.SendLogger, _kind, _runId!, elapsed.TotalMilliseconds, totals.Processed, totals.TotalSent, totals.Deferred, totals.TotalSuppressed, totals.AlreadyWritten, totals.Recovered, totals.Errors);
            _telemetry.RunDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(TelemetryTags.RunKind, _kind));
            if (_activity is { } activity)
            {
                activity.SetTag("personalize.processed", totals.Processed);
                activity.SetTag("personalize.sent", totals.TotalSent);
                activity.SetTag("personalize.deferred", totals.Deferred);
                activity.SetTag("personalize.errors", totals.Errors);
                activity.Stop();
            }
        }

        /// <summary>A run that did not complete (cancelled or failed; the exception goes to the caller): logged and its span marked as an error.</summary>
        public void Dispose()
        {
            if (_ended || !_begun)
            {
                _activity?.Dispose();
                return;
            }

            _ended = true;
            var processed = Interlocked.Read(ref _processed);
            Log.RunStopped(_telemetry.SendLogger, _kind, _runId!, processed);
            if (_activity is { } activity)
            {
                activity.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "The run stopped before it finished.");
                activity.Dispose();
            }
        }

        /// <summary>Adds a worker's tally to the totals, empties it and reports progress when a boundary was crossed.</summary>
        public void Merge(WorkerTally tally)
        {
            if (tally.IsEmpty)
            {
                return;
            }

            SendProgress? snapshot = null;
            lock (_gate)
            {
                var before = _processed;
                _processed += tally.Processed;
                _deferred += tally.Deferred;
                _alreadyWritten += tally.AlreadyWritten;
                Add(_sent, tally.Sent);
                Add(_suppressed, tally.Suppressed);
                if (_progress is not null && _processed / _every > before / _every)
                {
                    snapshot = SnapshotLocked();
                }
            }

            if (!Run.DryRun)
            {
                Measure(tally);
            }

            tally.Reset();
            if (snapshot is not null)
            {
                _progress!.Report(snapshot);
            }
        }

        public SendProgress Snapshot()
        {
            lock (_gate)
            {
                return SnapshotLocked();
            }
        }

        private SendProgress SnapshotLocked() => new()
        {
            Processed = _processed,
            Sent = Copy(_sent),
            Deferred = _deferred,
            AlreadyWritten = _alreadyWritten,
            Suppressed = Copy(_suppressed),
            Errors = Interlocked.Read(ref _errors),
            Recovered = Interlocked.Read(ref _recovered),
            SinkRetries = Interlocked.Read(ref _sinkRetries),
            FailedPermanently = Interlocked.Read(ref _failedPermanently),
            Elapsed = _time.GetElapsedTime(_started),
        };

        /// <summary>Adds a worker's counts to the meters: once per merge, not per message (dry runs send nothing and are not counted).</summary>
        private void Measure(WorkerTally tally)
        {
            var telemetry = _telemetry;
            if (telemetry.Sends.Enabled)
            {
                foreach (var (channel, count) in tally.Sent)
                {
                    if (count != 0)
                    {
                        telemetry.Sends.Add(count, new KeyValuePair<string, object?>(TelemetryTags.Channel, channel));
                    }
                }
            }

            if (telemetry.Suppressions.Enabled)
            {
                foreach (var (code, count) in tally.Suppressed)
                {
                    if (count != 0)
                    {
                        telemetry.Suppressions.Add(count, new KeyValuePair<string, object?>(TelemetryTags.Reason, code));
                    }
                }
            }

            if (tally.Deferred != 0)
            {
                telemetry.Deferrals.Add(tally.Deferred);
            }
        }

        private static void Add(Dictionary<string, long> into, Dictionary<string, long> from)
        {
            foreach (var (key, count) in from)
            {
                if (count != 0)
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(into, key, out _) += count;
                }
            }
        }

        private static SortedDictionary<string, long> Copy(Dictionary<string, long> counters)
        {
            var copy = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var (key, count) in counters)
            {
                copy[key] = count;
            }

            return copy;
        }
    }

    /// <summary>
    /// The hand-off between the reader of the customer stream and the workers: the reader parks when the queue is
    /// full and the worker that takes the queue down to the low mark wakes it, once.
    /// </summary>
    private sealed class Refill(int lowMark) : IDisposable
    {
        private readonly SemaphoreSlim _wake = new(0, 1);
        private int _parked;

        /// <summary>Marks the reader parked; the caller then tries the write once more before it waits.</summary>
        public void Park() => Volatile.Write(ref _parked, 1);

        /// <summary>The retry after parking succeeded: unpark, or take the wake-up a worker already gave.</summary>
        public ValueTask UnparkAsync(CancellationToken token)
            => Interlocked.CompareExchange(ref _parked, 0, 1) == 1 ? ValueTask.CompletedTask : new ValueTask(_wake.WaitAsync(token));

        public Task WaitAsync(CancellationToken token) => _wake.WaitAsync(token);

        /// <summary>Called by a worker after each take: wakes the parked reader once the queue is down to the low mark.</summary>
        public void Taken(ChannelReader<CustomerProfile> reader)
        {
            if (Volatile.Read(ref _parked) == 1 && reader.Count <= lowMark && Interlocked.CompareExchange(ref _parked, 0, 1) == 1)
            {
                _wake.Release();
            }
        }

        public void Dispose() => _wake.Dispose();
    }

    /// <summary>One worker's counters since its last merge (touched by that worker only).</summary>
    private sealed class WorkerTally(DateTimeOffset at)
    {
        public long Processed;
        public long Deferred;
        public long AlreadyWritten;

        public Dictionary<string, long> Sent { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> Suppressed { get; } = new(StringComparer.Ordinal);

        /// <summary>Whether a send or a suppression was counted since the last reset (a journey's steps count those without processing a customer).</summary>
        private bool _counted;

        public bool IsEmpty => Processed == 0 && Deferred == 0 && AlreadyWritten == 0 && !_counted;

        public void Count(OutgoingMessage message)
        {
            if (message.SendAt > at)
            {
                Deferred++;
                return;
            }

            CollectionsMarshal.GetValueRefOrAddDefault(Sent, message.Channel.Name ?? string.Empty, out _)++;
            _counted = true;
        }

        public void Suppress(string code)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(Suppressed, code, out _)++;
            _counted = true;
        }

        public void Reset()
        {
            Processed = 0;
            Deferred = 0;
            AlreadyWritten = 0;
            _counted = false;

            // Zero the counts but keep the keys: the next interval counts the same channels and reasons without allocating.
            foreach (var key in Sent.Keys)
            {
                CollectionsMarshal.GetValueRefOrNullRef(Sent, key) = 0;
            }

            foreach (var key in Suppressed.Keys)
            {
                CollectionsMarshal.GetValueRefOrNullRef(Suppressed, key) = 0;
            }
        }
    }
}
