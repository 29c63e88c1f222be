namespace Personalize.Templates.Runtime;

/// <summary>
/// The inline cache of one top-level variable site (<c>customer</c> in <c>customer.name</c>, Scriban or Liquid) for a
/// plain .NET model: the model type's accessor (one per type and member policy) and its compiled getter for the name, so
/// the next render with a model of that type reads the variable without looking the name up. The scopes above the model
/// (the template's own variables, loop variables) are still searched first, so what a template assigns still wins. A
/// benign race: an entry is immutable and replaced whole when a site sees another model type.
/// </summary>
/// <param name="Accessor">The model type's accessor the getter belongs to.</param>
/// <param name="Getter">The getter of the variable's member on that type.</param>
internal sealed record RootGetter(MemberAccessor.TypeAccessor Accessor, Func<object, object?> Getter);
