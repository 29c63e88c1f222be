namespace Personalize.Delivery.Sinks;

/// <summary>A message the sink did not take: refused for good, or still failing after the last attempt. The rest of the batch is unaffected.</summary>
/// <param name="Message">The message; after a transient failure write it again later (its idempotency key prevents duplicates).</param>
/// <param name="Attempts">How often it was tried (1 for a permanent failure: it is never retried).</param>
/// <param name="Error">The last error.</param>
public sealed record SinkFailure(OutgoingMessage Message, int Attempts, Exception Error)
{
    /// <summary>Whether trying again can help, as the policy classified <see cref="Error"/>.</summary>
    /// <value>The default value is <see cref="SinkFailureKind.Transient"/>.</value>
    public SinkFailureKind Kind { get; init; }

    /// <summary>The sink's stable code (<see cref="SinkException.Code"/>), or <see langword="null"/> when the error was not a <see cref="SinkException"/>.</summary>
    public string? Code => (Error as SinkException)?.Code;

    /// <summary>What the provider answered (<see cref="SinkException.ProviderResponse"/>), when it answered.</summary>
    public string? ProviderResponse => (Error as SinkException)?.ProviderResponse;

    /// <summary>One line for run errors: the kind, the attempts and the error (the provider's answer is in the error's message).</summary>
    internal string Describe() => Kind == SinkFailureKind.Permanent
        ? $"The sink refused the message (permanent, not retried): {Detail()}"
        : $"The sink failed {Attempts} time(s) (transient): {Detail()}";

    /// <summary>The <see cref="Sending.SendErrorCodes"/> code of the failure: <c>sink.rejected</c> when permanent, <c>sink.failed</c> otherwise.</summary>
    internal string SendErrorCode => Kind == SinkFailureKind.Permanent ? Sending.SendErrorCodes.SinkRejected : Sending.SendErrorCodes.SinkFailed;

    private string Detail() => Code is { } code ? code + ": " + Error.Message : Error.Message;
}
