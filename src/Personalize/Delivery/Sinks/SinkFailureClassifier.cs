using System.Net.Sockets;

namespace Personalize.Delivery.Sinks;

/// <summary>
/// The default classification of a sink's exception (<see cref="SinkRetryPolicy.Classifier"/>): a
/// <see cref="SinkException"/> says its own <see cref="SinkException.Kind"/>; input and programming errors
/// (<see cref="ArgumentException"/>, <see cref="FormatException"/>, <see cref="NotSupportedException"/>,
/// <see cref="NotImplementedException"/>, <see cref="InvalidCastException"/>, <see cref="NullReferenceException"/>,
/// <see cref="ObjectDisposedException"/>, <see cref="UnauthorizedAccessException"/>, <see cref="MessageContentException"/>)
/// are permanent; everything else — I/O, sockets, time-outs and exceptions the sink did not classify — is transient,
/// so an unknown failure costs a few bounded retries rather than a lost message.
/// </summary>
public static class SinkFailureClassifier
{
    /// <summary>Classifies an exception thrown by a sink.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>Whether trying the message again can help.</returns>
    public static SinkFailureKind Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            SinkException sink => sink.Kind,
            IOException or SocketException or TimeoutException => SinkFailureKind.Transient,
            ObjectDisposedException => SinkFailureKind.Permanent, // before InvalidOperationException, its base
            ArgumentException or FormatException or NotSupportedException or NotImplementedException or InvalidCastException
                or NullReferenceException or UnauthorizedAccessException or MessageContentException => SinkFailureKind.Permanent,
            _ => SinkFailureKind.Transient,
        };
    }
}
