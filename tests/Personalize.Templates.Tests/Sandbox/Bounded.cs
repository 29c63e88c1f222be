namespace Personalize.Templates.Tests.Sandbox;

/// <summary>Runs an attack on its own task with a time cap, so a regression fails the test instead of hanging CI.</summary>
internal static class Bounded
{
    public static async Task<T> RunAsync<T>(Func<T> work, TimeSpan cap, string what)
    {
        try
        {
            return await Task.Run(work).WaitAsync(cap);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"{what} did not finish within {cap.TotalSeconds} s.");
        }
    }
}
