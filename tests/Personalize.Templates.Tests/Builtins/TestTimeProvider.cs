namespace Personalize.Templates.Tests.Builtins;

/// <summary>A clock fixed at a given instant.</summary>
internal sealed class TestTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
