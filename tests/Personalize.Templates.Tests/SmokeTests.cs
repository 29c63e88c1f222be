namespace Personalize.Templates.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Assembly_is_loadable() => Assert.Equal("Personalize.Templates", typeof(Personalize.Templates.AssemblyMarker).Assembly.GetName().Name);
}
