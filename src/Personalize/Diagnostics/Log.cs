using Microsoft.Extensions.Logging;

namespace Personalize.Diagnostics;

/// <summary>
/// Personalize's log messages, source-generated (no boxing or formatting when the level is off), with stable event ids
/// (docs/operations.md lists them). Above <see cref="LogLevel.Debug"/> they carry ids, codes, channels and counts only:
/// never a contact point, a name, an attribute value, rendered content or an exception message (a sink's or a
/// template's message can quote an address) — those are at <see cref="LogLevel.Debug"/>.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Personalize {Kind} run {RunId} started: trigger {Trigger} at {At:O}")]
    public static partial void RunStarted(ILogger logger, string kind, string runId, string trigger, DateTimeOffset at);

    [LoggerMessage(1001, LogLevel.Information, "Personalize {Kind} run {RunId} finished in {ElapsedMs:F0} ms: {Processed} processed, {Sent} sent, {Deferred} deferred, {Suppressed} without a message, {AlreadySent} already sent, {Recovered} recovered, {Errors} failed")]
    public static partial void RunFinished(ILogger logger, string kind, string runId, double elapsedMs, long processed, long sent, long deferred, long suppressed, long alreadySent, long recovered, long errors);

    [LoggerMessage(1002, LogLevel.Information, "Personalize {Kind} run {RunId} was already completed; nothing to do")]
    public static partial void RunAlreadyCompleted(ILogger logger, string kind, string runId);

    [LoggerMessage(1003, LogLevel.Warning, "Personalize {Kind} run {RunId} stopped before it finished ({Processed} processed; cancelled or failed, the caller has the exception); run it again to resume")]
    public static partial void RunStopped(ILogger logger, string kind, string runId, long processed);

    [LoggerMessage(1010, LogLevel.Warning, "Customer {CustomerId} failed: {Code} (message {MessageId}, channel {Channel})")]
    public static partial void CustomerFailed(ILogger logger, string customerId, string code, string? messageId, string? channel);

    [LoggerMessage(1011, LogLevel.Debug, "Customer {CustomerId} failed: {Code}: {Detail}")]
    public static partial void CustomerFailedDetail(ILogger logger, string customerId, string code, string detail);

    [LoggerMessage(1012, LogLevel.Debug, "Customer {CustomerId}: message {MessageId} suppressed by {Code}")]
    public static partial void MessageSuppressed(ILogger logger, string customerId, string messageId, string code);

    [LoggerMessage(1013, LogLevel.Debug, "Customer {CustomerId}: no message ({Code})")]
    public static partial void NoMessage(ILogger logger, string customerId, string code);

    [LoggerMessage(1020, LogLevel.Warning, "Sink write of message {MessageId} to customer {CustomerId} on {Channel} failed (attempt {Attempt} of {MaxAttempts}, {ErrorType}, transient); retrying in {DelayMs:F0} ms")]
    public static partial void SinkRetrying(ILogger logger, string messageId, string customerId, string? channel, int attempt, int maxAttempts, string errorType, double delayMs);

    [LoggerMessage(1021, LogLevel.Warning, "Sink did not take message {MessageId} to customer {CustomerId} on {Channel} ({Kind} after {Attempts} attempt(s), {ErrorType}, code {Code})")]
    public static partial void SinkFailed(ILogger logger, string messageId, string customerId, string? channel, string kind, int attempts, string errorType, string? code);

    [LoggerMessage(1022, LogLevel.Debug, "Sink write of message {MessageId} to customer {CustomerId} failed at attempt {Attempt}")]
    public static partial void SinkFailureDetail(ILogger logger, string messageId, string customerId, int attempt, Exception exception);
}
