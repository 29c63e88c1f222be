namespace Personalize.Templates;

/// <summary>Reads one bound member of a model (see <see cref="ExpressionBinder{TModel}"/>).</summary>
/// <typeparam name="TModel">The model type.</typeparam>
/// <param name="model">The model.</param>
/// <returns>The member's value, or <see cref="ExpressionValue.Missing"/> when the model has no such member.</returns>
public delegate ExpressionValue ExpressionReader<in TModel>(TModel model);

/// <summary>Reads one bound member of a model when its value is a number, a boolean or null (see <see cref="ExpressionBinder{TModel}.BindScalar"/>).</summary>
/// <typeparam name="TModel">The model type.</typeparam>
/// <param name="model">The model.</param>
/// <returns>The member's value, or <see cref="ExpressionScalar.Other"/> for any other value (the member's <see cref="ExpressionReader{TModel}"/> is then asked).</returns>
public delegate ExpressionScalar ExpressionScalarReader<in TModel>(TModel model);

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

    /// <summary>
    /// Optionally binds <c>root.member</c> a second time, for the comparisons and truth tests of numbers and booleans
    /// (<c>customer.orders &gt;= 3</c>, <c>customer.vip</c>): a reader that hands over only a number, a boolean or null,
    /// in 16 bytes without object references, and <see cref="ExpressionScalar.Other"/> for anything else. Such a value
    /// must be the one <see cref="Bind"/>'s reader gives for the same model (<see cref="ExpressionScalar.Of"/> of it);
    /// the compiled expression asks that reader whenever this one says <see cref="ExpressionScalar.Other"/>.
    /// </summary>
    /// <param name="root">The variable, for example <c>customer</c>.</param>
    /// <param name="member">The member, for example <c>orders</c>.</param>
    /// <returns>The reader, or <see langword="null"/> (the default) to read the member only through <see cref="Bind"/>.</returns>
    public virtual ExpressionScalarReader<TModel>? BindScalar(string root, string member) => null;

    /// <summary>
    /// Optionally binds <c>root.member == 'text'</c> (and <c>!=</c>) for one literal: a reader that says whether the
    /// member's value is text equal to <paramref name="text"/> (ordinal comparison) as a boolean
    /// (<see cref="ExpressionScalar.From(bool)"/>), or <see cref="ExpressionScalar.Other"/> when the value is not text or
    /// the binder cannot tell — the compiled expression then compares the value <see cref="Bind"/>'s reader gives. Lets
    /// a binder compare a value once per model and literal instead of once per evaluation. Asked only for text of at most
    /// 64 characters that is valid UTF-16.
    /// </summary>
    /// <param name="root">The variable, for example <c>customer</c>.</param>
    /// <param name="member">The member, for example <c>tier</c>.</param>
    /// <param name="text">The literal text.</param>
    /// <returns>The reader, or <see langword="null"/> (the default) to compare the value <see cref="Bind"/>'s reader gives.</returns>
    public virtual ExpressionScalarReader<TModel>? BindTextEquals(string root, string member, string text) => null;

    /// <summary>The object the interpreter evaluates the expression against (whose members are the expression's variables).</summary>
    /// <param name="model">The model.</param>
    /// <returns>The interpreter's model.</returns>
    public abstract object? ToModel(TModel model);
}
