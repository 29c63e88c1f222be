namespace Personalize.Templates;

internal static class AssemblyMarker
{
}
