namespace Personalize.Templates.Runtime;

internal enum LoopKind
{
    For,
    While,
    TableRow,
}
