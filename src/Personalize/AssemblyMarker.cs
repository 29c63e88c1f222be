namespace Personalize;

internal static class AssemblyMarker
{
}
