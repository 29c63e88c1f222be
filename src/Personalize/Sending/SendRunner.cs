using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.Templates;

namespace Personalize.Sending;

/// <summary>
/// Runs a send: streams customers, decides for each, renders every winner and writes it to the sink, with bounded
/// parallelism (<see cref="SendingOptions.MaxDegreeOfParallelism"/>, the core count by default) and bounded memory
/// (a queue of at most <see cref="SendingOptions.QueueCapacity"/> customers: the stream is read only as fast as the
/// workers take customers, so ten million customers are never held at once). One customer's failure (a template
/// error, content that cannot go out, a sink that keeps failing) is recorded and the run goes on. A resumed run
/// skips every message the sink already holds (by idempotency key) — pass the same <see cref="SendRun.At"/>.
/// </summary>
public sealed class SendRunner
{
    private readonly DecisionEngine _engine;
    private readonly MessageRenderer _renderer;
    private readonly SinkWriter _writer;
    private readonly SendingOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the runner.</summary>
    /// <param name="engine">Decides per customer.</param>
    /// <param name="renderer">Renders winners into messages.</param>
    /// <param name="writer">Writes messages to the sink, with retries; its sink answers which keys it holds.</param>
    /// <param name="options">Parallelism, queue size, error and progress settings.</param>
    /// <param name="timeProvider">The clock (the run instant when <see cref="SendRun.At"/> is not given, and elapsed time).</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public SendRunner(DecisionEngine engine, MessageRenderer renderer, SinkWriter writer, SendingOptions options, TimeProvider timeProvider)
    {
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
    }

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
        var state = new RunState(run, run.At ?? _timeProvider.GetUtcNow(), _timeProvider, progress, _options.ProgressEvery, _options.MaxRecordedErrors);
        var queue = System.Threading.Channels.Channel.CreateBounded<CustomerProfile>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            SingleWriter = true,
            SingleReader = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = new Task[_options.Parallelism + 1];
        tasks[0] = ProduceAsync(customers, queue.Writer, stop);
        for (var i = 1; i < tasks.Length; i++)
        {
            tasks[i] = Task.Run(() => WorkAsync(queue.Reader, state, stop), CancellationToken.None);
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

        var totals = state.Snapshot();
        progress?.Report(totals);
        return new SendRunSummary { Totals = totals, Errors = state.Errors.ToArray(), At = state.At, DryRun = run.DryRun };
    }

    private static async Task ProduceAsync(IAsyncEnumerable<CustomerProfile> customers, ChannelWriter<CustomerProfile> writer, CancellationTokenSource stop)
    {
        Exception? failure = null;
        try
        {
            await foreach (var customer in customers.WithCancellation(stop.Token).ConfigureAwait(false))
            {
                await writer.WriteAsync(customer, stop.Token).ConfigureAwait(false);
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

    private async Task WorkAsync(ChannelReader<CustomerProfile> reader, RunState state, CancellationTokenSource stop)
    {
        var token = stop.Token;
        try
        {
            var messages = new List<OutgoingMessage>(2);
            var fresh = new List<OutgoingMessage>(2);
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var customer))
                {
                    token.ThrowIfCancellationRequested();
                    ProcessCustomer(customer, state, messages, token);
                    if (messages.Count > 0)
                    {
                        if (!state.Run.DryRun)
                        {
                            await WriteAsync(messages, state, fresh, token).ConfigureAwait(false);
                        }
                        else
                        {
                            foreach (var message in messages)
                            {
                                state.Count(message);
                            }
                        }

                        messages.Clear();
                    }

                    state.Processed();
                }
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void ProcessCustomer(CustomerProfile customer, RunState state, List<OutgoingMessage> messages, CancellationToken token)
    {
        Decision decision;
        try
        {
            decision = _engine.Decide(state.Run.Catalog, customer, state.Run.Trigger, state.At);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            state.Error(new SendError(customer.Id, null, null, SendErrorCodes.DecisionFailed, ex.Message));
            return;
        }

        var winners = decision.Winners;
        if (winners.Count == 0)
        {
            state.Suppress(SuppressionCode(decision));
            return;
        }

        for (var i = 0; i < winners.Count; i++)
        {
            var winner = winners[i];
            try
            {
                messages.Add(_renderer.Render(state.Run.Content, customer, winner.Message, winner.Channel, winner.Template, state.TriggerText, winner.SendAt, token));
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                throw;
            }
            catch (TemplateRuntimeException ex)
            {
                state.Error(new SendError(customer.Id, winner.MessageId, winner.Channel.Name, SendErrorCodes.TemplateError, ex.Detail)
                {
                    Template = ex.SourceName,
                    Line = ex.Line,
                    Column = ex.Column,
                });
            }
            catch (MessageContentException ex)
            {
                state.Error(new SendError(customer.Id, winner.MessageId, winner.Channel.Name, ex.Code, ex.Message));
            }
            catch (ContentTemplateException ex)
            {
                state.Error(new SendError(customer.Id, winner.MessageId, winner.Channel.Name, SendErrorCodes.TemplateMissing, ex.Message) { Template = winner.Template });
            }
            catch (Exception ex)
            {
                state.Error(new SendError(customer.Id, winner.MessageId, winner.Channel.Name, SendErrorCodes.Unexpected, ex.GetType().Name + ": " + ex.Message) { Template = winner.Template });
            }
        }
    }

    private async ValueTask WriteAsync(List<OutgoingMessage> messages, RunState state, List<OutgoingMessage> fresh, CancellationToken token)
    {
        // Resume: what the sink already holds (by idempotency key) was written by an earlier run and is skipped.
        // The writer asks the sink first; with one message its report says which case it was.
        if (messages.Count == 1)
        {
            var single = await _writer.WriteOneAsync(messages[0], token).ConfigureAwait(false);
            if (single.Failure is { } failure)
            {
                state.Error(new SendError(failure.Message.CustomerId, failure.Message.MessageId, failure.Message.Channel.Name, SendErrorCodes.SinkFailed, $"The sink failed {failure.Attempts} time(s): {failure.Error.Message}"));
            }
            else if (single.Skipped)
            {
                state.AlreadyWritten();
            }
            else
            {
                state.Count(messages[0]);
            }

            return;
        }

        fresh.Clear();
        foreach (var message in messages)
        {
            if (await _writer.Sink.ContainsAsync(message.IdempotencyKey, token).ConfigureAwait(false))
            {
                state.AlreadyWritten();
            }
            else
            {
                fresh.Add(message);
            }
        }

        if (fresh.Count == 0)
        {
            return;
        }

        var report = await _writer.WriteAsync(fresh, token).ConfigureAwait(false);
        foreach (var message in fresh)
        {
            SinkFailure? failure = null;
            foreach (var f in report.Failures)
            {
                if (ReferenceEquals(f.Message, message))
                {
                    failure = f;
                    break;
                }
            }

            if (failure is null)
            {
                state.Count(message);
            }
            else
            {
                state.Error(new SendError(message.CustomerId, message.MessageId, message.Channel.Name, SendErrorCodes.SinkFailed, $"The sink failed {failure.Attempts} time(s): {failure.Error.Message}"));
            }
        }
    }

    private static string SuppressionCode(Decision decision)
    {
        var candidates = decision.Candidates;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates[i].Status == CandidateStatus.Suppressed)
            {
                return candidates[i].Code;
            }
        }

        return candidates.Count == 0 ? "no_candidate" : candidates[0].Code;
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

    private sealed class RunState
    {
        private readonly ConcurrentDictionary<string, StrongBox<long>> _sent = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, StrongBox<long>> _suppressed = new(StringComparer.Ordinal);
        private readonly TimeProvider _time;
        private readonly long _started;
        private readonly IProgress<SendProgress>? _progress;
        private readonly int _every;
        private readonly int _maxErrors;
        private long _processed;
        private long _deferred;
        private long _alreadyWritten;
        private long _errors;

        public RunState(SendRun run, DateTimeOffset at, TimeProvider time, IProgress<SendProgress>? progress, int every, int maxErrors)
        {
            Run = run;
            At = at;
            TriggerText = run.Trigger.ToString();
            _time = time;
            _started = time.GetTimestamp();
            _progress = progress;
            _every = every;
            _maxErrors = maxErrors;
        }

        public SendRun Run { get; }

        public DateTimeOffset At { get; }

        public string TriggerText { get; }

        public ConcurrentQueue<SendError> Errors { get; } = new();

        public void Processed()
        {
            var n = Interlocked.Increment(ref _processed);
            if (_progress is not null && n % _every == 0)
            {
                _progress.Report(Snapshot());
            }
        }

        public void Count(OutgoingMessage message)
        {
            if (message.SendAt > At)
            {
                Interlocked.Increment(ref _deferred);
                return;
            }

            Increment(_sent, message.Channel.Name ?? string.Empty);
        }

        public void AlreadyWritten() => Interlocked.Increment(ref _alreadyWritten);

        public void Suppress(string code) => Increment(_suppressed, code);

        public void Error(SendError error)
        {
            if (Interlocked.Increment(ref _errors) <= _maxErrors)
            {
                Errors.Enqueue(error);
            }
        }

        public SendProgress Snapshot() => new()
        {
            Processed = Interlocked.Read(ref _processed),
            Sent = Copy(_sent),
            Deferred = Interlocked.Read(ref _deferred),
            AlreadyWritten = Interlocked.Read(ref _alreadyWritten),
            Suppressed = Copy(_suppressed),
            Errors = Interlocked.Read(ref _errors),
            Elapsed = _time.GetElapsedTime(_started),
        };

        private static void Increment(ConcurrentDictionary<string, StrongBox<long>> counters, string key)
        {
            if (!counters.TryGetValue(key, out var box))
            {
                box = counters.GetOrAdd(key, static _ => new StrongBox<long>());
            }

            Interlocked.Increment(ref box.Value);
        }

        private static SortedDictionary<string, long> Copy(ConcurrentDictionary<string, StrongBox<long>> counters)
        {
            var copy = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var (key, box) in counters)
            {
                copy[key] = Interlocked.Read(ref box.Value);
            }

            return copy;
        }
    }
}
