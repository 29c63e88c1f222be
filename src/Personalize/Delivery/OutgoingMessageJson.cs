using System.Buffers;
using Personalize.Delivery.Sinks;

namespace Personalize.Delivery;

/// <summary>
/// The JSON form of an <see cref="OutgoingMessage"/>: the object the file outbox writes as one JSON Lines line and the
/// webhook sink posts — <c>idempotencyKey</c>, <c>channel</c>, <c>recipient</c>, <c>customerId</c>, <c>messageId</c>,
/// <c>trigger</c>, <c>purpose</c>, <c>sendAt</c>, <c>headers</c> (when any, as name/value pairs) and <c>content</c>
/// with the channel's fields (for example <c>subject</c>, <c>textBody</c>, <c>htmlBody</c> for email, <c>body</c> and
/// <c>segments</c> for SMS).
/// </summary>
public static class OutgoingMessageJson
{
    /// <summary>Writes the message as one JSON object in UTF-8.</summary>
    /// <param name="message">The message.</param>
    /// <param name="output">Where the bytes go.</param>
    public static void Write(OutgoingMessage message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        OutboxJson.Write(message, output);
    }

    /// <summary>The message as one JSON object in UTF-8.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The bytes.</returns>
    public static byte[] ToUtf8Bytes(OutgoingMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
