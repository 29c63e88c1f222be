using System.Diagnostics;

namespace Personalize.Diagnostics;

/// <summary>The span of one batch of messages handed to the sink (a page of a run, a page of due sends, a recovery page, or <see cref="Delivery.Sinks.SinkWriter.WriteAsync"/>).</summary>
internal static class SinkBatch
{
    public const string SpanName = "personalize.sink batch";

    /// <summary>Starts the span when someone listens and the batch has messages; null otherwise (dispose it either way).</summary>
    public static Activity? Start(int messages, bool recovery = false)
    {
        if (messages == 0 || !PersonalizeTelemetry.Source.HasListeners())
        {
            return null;
        }

        var activity = PersonalizeTelemetry.Source.StartActivity(SpanName);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("personalize.messages", messages);
            if (recovery)
            {
                activity.SetTag("personalize.recovery", true);
            }
        }

        return activity;
    }
}
