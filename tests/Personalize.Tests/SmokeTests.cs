namespace Personalize.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Assembly_is_loadable() => Assert.Equal("Personalize", typeof(Personalize.AssemblyMarker).Assembly.GetName().Name);
}
