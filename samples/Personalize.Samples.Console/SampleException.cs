namespace Personalize.Samples.ConsoleHost;

/// <summary>A problem the user can fix (bad data file, bad options); printed without a stack trace.</summary>
internal sealed class SampleException(string message) : Exception(message);
