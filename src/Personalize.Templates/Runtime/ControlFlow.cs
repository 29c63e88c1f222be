namespace Personalize.Templates.Runtime;

internal enum ControlFlow
{
    None,
    Break,
    Continue,
    Return,
}
