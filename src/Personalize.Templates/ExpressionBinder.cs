namespace Personalize.Templates;

/// <summary>Reads one bound member of a model (see <see cref="ExpressionBinder{TModel}"/>).</summary>
/// <typeparam name="TModel">The model type.</typeparam>
/// <param name="model">The model.</param>
/// <returns>The member's value, or <see cref="ExpressionValue.Missing"/> when the model has no such member.</returns>
public delegate ExpressionValue ExpressionReader<in TModel>(TModel model);

/// <summary>
/// Binds the variables of an expression to a model type once, when the expression is compiled
/// (<see cref="TemplateExpression.Compile{TModel}"/>): each <c>root.member</c> the expression reads becomes a reader of
/// <typeparamref name="TModel"/>, so evaluating it looks nothing up by name.
/// </summary>
/// <remarks>
/// A reader must return what the interpreter would read from <see cref="ToModel"/> for the same path, as
/// <see cref="ExpressionValue"/>: the compiled expression is only as exact as its binder. A path the binder does not
/// bind (it returns <see langword="null"/>) makes the whole expression run interpreted.
/// </remarks>
/// <typeparam name="TModel">The model type.</typeparam>
public abstract class ExpressionBinder<TModel>
{
    /// <summary>Binds <c>root.member</c> (a variable and one member of it).</summary>
    /// <param name="root">The variable, for example <c>customer</c>.</param>
    /// <param name="member">The member, for example <c>tier</c>.</param>
    /// <returns>The reader, or <see langword="null"/> when this binder does not bind the path.</returns>
    public abstract ExpressionReader<TModel>? Bind(string root, string member);

    /// <summary>The object the interpreter evaluates the expression against (whose members are the expression's variables).</summary>
    /// <param name="model">The model.</param>
    /// <returns>The interpreter's model.</returns>
    public abstract object? ToModel(TModel model);
}
