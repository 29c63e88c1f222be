using System.Globalization;
using Personalize.Templates.Rendering;

namespace Personalize.Templates.Runtime;

/// <summary>
/// The state of one render: output, variables, limits and the host's culture, clock and cancellation.
/// Builtins and host functions receive it as an optional first parameter. A context serves one render on one
/// thread at a time; it is pooled and reused, so never keep a reference after the call returns.
/// </summary>
public sealed partial class TemplateContext
{
    private long _loopIterations;
    private long _work;
    private long _maxWork = TemplateLimits.Default.MaxWork;
    private long _outputLength;
    private bool _atLineStart;
    private long _stringWork;
    private int _callDepth;
    private NumberFormatInfo _numberFormat = NumberFormatInfo.InvariantInfo;
    private int _maxRecursionDepth = TemplateLimits.Default.MaxRecursionDepth;
    private long _maxLoopIterations = TemplateLimits.Default.MaxLoopIterations;
    private long _maxOutputLength = TemplateLimits.Default.MaxOutputLength;
    private TemplateOptions? _policyOptions;
    private bool _strict;

    internal TemplateContext()
    {
        Culture = CultureInfo.InvariantCulture;
        TimeProvider = TimeProvider.System;
        Limits = TemplateLimits.Default;
        Options = TemplateOptions.Default;
        Members = MemberPolicy.Default;
        SourceName = "template";
        Output = NullOutput.Instance;
    }

    /// <summary>Gets the culture for formatting numbers and dates.</summary>
    public CultureInfo Culture { get; private set; }

    /// <summary>Gets the clock to read (library code never reads the machine clock directly).</summary>
    public TimeProvider TimeProvider { get; private set; }

    /// <summary>Gets the sandbox limits of this render.</summary>
    public TemplateLimits Limits { get; private set; }

    /// <summary>Gets the token that cancels this render.</summary>
    public CancellationToken CancellationToken { get; private set; }

    /// <summary>Gets the source position being evaluated (the current call, for builtins).</summary>
    public SourceSpan CurrentSpan { get; internal set; }

    /// <summary>Gets the name of the template being rendered.</summary>
    public string SourceName { get; internal set; }

    internal TemplateOptions Options { get; private set; }

    /// <summary>Gets how members of host objects are named and filtered in this render.</summary>
    internal MemberPolicy Members { get; private set; }

    internal TemplateOutput Output { get; set; }

    /// <summary>
    /// Gets or sets how many strict-mode guards are being evaluated (the left side of <c>??</c>/<c>?!</c>, an <c>if</c>
    /// condition): inside one, a missing variable or member is null even in strict mode.
    /// </summary>
    internal int StrictGuard { get; set; }

    /// <summary>Gets whether a missing variable or member is a render error here (strict mode, outside a guard).</summary>
    internal bool IsStrict => _strict && StrictGuard == 0;

    /// <summary>The strict-mode error for a member <paramref name="name"/> that <paramref name="target"/> does not have.</summary>
    internal TemplateRuntimeException MissingMember(SourceSpan span, string target, string name) => Error(
        span,
        $"`{target}` has no member `{name}` (strict mode: a missing value stops the render instead of printing blank). Give it a fallback (`{target}.{name} ?? \"…\"`) or test it in an `if` first.");

    /// <summary>Creates a render error at <see cref="CurrentSpan"/>; builtins <c>throw context.Error("…")</c>.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    /// <returns>The exception to throw.</returns>
    public TemplateRuntimeException Error(string message, Exception? innerException = null) => new(message, CurrentSpan, SourceName, innerException);

    /// <summary>Creates a render error at <paramref name="span"/>.</summary>
    /// <param name="span">Where in the template.</param>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <returns>The exception to throw.</returns>
    public TemplateRuntimeException Error(SourceSpan span, string message) => new(message, span, SourceName);

    /// <summary>
    /// Charges <paramref name="count"/> steps of work against <see cref="TemplateLimits.MaxLoopIterations"/> and checks
    /// cancellation. Builtins that loop over input (sort, map, join of large arrays…) call this with the item count.
    /// </summary>
    /// <param name="count">Number of iterations performed.</param>
    /// <exception cref="TemplateLimitExceededException">The render used more iterations than allowed.</exception>
    public void ChargeLoopIterations(long count = 1)
    {
        count = Math.Max(0, count);
        _loopIterations += count;
        if (_loopIterations > _maxLoopIterations)
        {
            ThrowLoopLimit();
        }

        ChargeWork(count);
    }

    /// <summary>Charges one loop iteration of a body of <paramref name="weight"/> units (see <see cref="TemplateLimits.MaxWork"/>).</summary>
    internal void ChargeIteration(int weight)
    {
        if (++_loopIterations > _maxLoopIterations)
        {
            ThrowLoopLimit();
        }

        ChargeWork(1 + weight);
    }

    /// <summary>
    /// Charges <paramref name="units"/> of work against <see cref="TemplateLimits.MaxWork"/> and checks cancellation. Builtins and
    /// host functions that do work in proportion to their input charge it up front, in bulk (one call per operation).
    /// </summary>
    /// <param name="units">The units of work (see <see cref="TemplateLimits.MaxWork"/> for what a unit is).</param>
    /// <exception cref="TemplateLimitExceededException">The render used up its work budget.</exception>
    /// <exception cref="OperationCanceledException">The render was cancelled.</exception>
    public void ChargeWork(long units)
    {
        // Saturating: a huge charge (an overflowed size) must not wrap around to a small one.
        _work = units > _maxWork - _work ? long.MaxValue : _work + Math.Max(0, units);
        if (_work > _maxWork)
        {
            ThrowWorkLimit();
        }

        CancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Charges scanning or comparing <paramref name="characters"/> characters: one unit per 16 (see <see cref="TemplateLimits.MaxWork"/>).</summary>
    /// <param name="characters">The number of characters.</param>
    public void ChargeCharacters(long characters) => ChargeWork(1 + (Math.Max(0, characters) >> 4));

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ThrowWorkLimit() => throw new TemplateLimitExceededException(
        nameof(TemplateLimits.MaxWork),
        Limits.MaxWork,
        $"The template did more than {Limits.MaxWork} units of work (TemplateLimits.MaxWork): loops, calls, includes and builtins on large data add up. Check for runaway recursion or loops over large data, or raise the limit.",
        CurrentSpan,
        SourceName);

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ThrowLoopLimit() => throw new TemplateLimitExceededException(
        nameof(TemplateLimits.MaxLoopIterations),
        Limits.MaxLoopIterations,
        $"The template exceeded {Limits.MaxLoopIterations} loop iterations (TemplateLimits.MaxLoopIterations). Check for a loop that never ends, or raise the limit.",
        CurrentSpan,
        SourceName);

    /// <summary>
    /// Checks that a string a builtin is about to build stays within <see cref="TemplateLimits.MaxStringLength"/>, and charges
    /// its length to <see cref="TemplateLimits.MaxTotalStringLength"/> (the render's budget for building strings).
    /// </summary>
    /// <param name="length">The length of the string to build.</param>
    /// <exception cref="TemplateLimitExceededException">The string would be too long, or the render has built too much text.</exception>
    public void CheckStringLength(long length)
    {
        EnsureStringLength(length);
        _stringWork += Math.Max(0, length);
        if (_stringWork > Limits.MaxTotalStringLength)
        {
            throw new TemplateLimitExceededException(
                nameof(TemplateLimits.MaxTotalStringLength),
                Limits.MaxTotalStringLength,
                $"The template built more than {Limits.MaxTotalStringLength} characters of strings (TemplateLimits.MaxTotalStringLength). Check for a loop that keeps growing a string.",
                CurrentSpan,
                SourceName);
        }
    }

    /// <summary>Checks a length against <see cref="TemplateLimits.MaxStringLength"/> without charging it (for strings built step by step; charge the result once).</summary>
    internal void EnsureStringLength(long length)
    {
        if (length > Limits.MaxStringLength)
        {
            throw new TemplateLimitExceededException(
                nameof(TemplateLimits.MaxStringLength),
                Limits.MaxStringLength,
                $"The template tried to build a string of {length} characters; the limit is {Limits.MaxStringLength} (TemplateLimits.MaxStringLength).",
                CurrentSpan,
                SourceName);
        }
    }

    /// <summary>Formats a value the way templates print it, in <see cref="Culture"/>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text (<c>""</c> for null).</returns>
    public string ToText(object? value) => value is string s ? s : ScriptValue.ToText(value, Culture, this);

    /// <summary>Reads a member of any value (script object, dictionary, JSON, .NET object) with the template's naming rules.</summary>
    /// <param name="target">The value to read from.</param>
    /// <param name="name">The member name as templates spell it.</param>
    /// <param name="value">The member value.</param>
    /// <returns><see langword="true"/> when the member exists.</returns>
    public bool TryGetMember(object? target, string name, out object? value)
    {
        if (target is null)
        {
            value = null;
            return false;
        }

        return MemberAccessor.TryGet(target, name, Members, out value);
    }

    /// <summary>Calls a function value (e.g. one passed to <c>array.map</c>) with positional arguments.</summary>
    /// <param name="function">The function.</param>
    /// <param name="arguments">The arguments.</param>
    /// <returns>The result.</returns>
    public object? Call(IScriptFunction function, params object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(arguments);
        var args = RentArguments();
        try
        {
            foreach (var argument in arguments)
            {
                args.Add(argument);
            }

            args.Span = CurrentSpan;
            PendingWrapBody = null;
            return Invoke(function, args);
        }
        finally
        {
            ReturnArguments(args);
        }
    }

    internal object? Invoke(IScriptFunction function, ScriptArguments arguments)
    {
        if (++_callDepth > _maxRecursionDepth)
        {
            _callDepth--;
            ThrowRecursionLimit(function is Syntax.ScriptFunctionDefinition definition ? definition.Name : (function as ScriptFunction)?.Name);
        }

        ChargeWork(1);
        if (function is not Syntax.ScriptFunctionDefinition)
        {
            ChargeStringArguments(arguments);
        }

        try
        {
            return function.Invoke(this, arguments);
        }
        finally
        {
            _callDepth--;
        }
    }

    /// <summary>
    /// Charges, in bulk, the characters of the long string arguments a builtin, filter or host function is given: what string,
    /// hash and regex functions scan (see <see cref="TemplateLimits.MaxWork"/>). Short strings cost nothing extra.
    /// </summary>
    private void ChargeStringArguments(ScriptArguments arguments)
    {
        long characters = 0;
        foreach (var argument in arguments.Positional)
        {
            if (argument is string { Length: > 256 } text)
            {
                characters += text.Length;
            }
        }

        if (characters > 0)
        {
            ChargeCharacters(characters);
        }
    }

    internal void EnterCall()
    {
        if (++_callDepth > _maxRecursionDepth)
        {
            _callDepth--;
            ThrowRecursionLimit(null);
        }

        ChargeWork(1);
    }

    internal void ExitCall() => _callDepth--;

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ThrowRecursionLimit(string? node) => throw new TemplateLimitExceededException(
        nameof(TemplateLimits.MaxRecursionDepth),
        Limits.MaxRecursionDepth,
        $"Exceeding number of recursive depth limit `{Limits.MaxRecursionDepth}`{(node is null ? string.Empty : $" for node: `{node}`")} (TemplateLimits.MaxRecursionDepth). Check for a function or include that calls itself without end.",
        CurrentSpan,
        SourceName);

    internal void Write(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        ChargeOutput(text.Length);
        Output.Write(text);
        _atLineStart = text[^1] == '\n';
    }

    internal void Write(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        ChargeOutput(text.Length);
        Output.Write(text);
        _atLineStart = text[^1] == '\n';
    }

    internal void WriteLiteral(TextLiteral literal)
    {
        ChargeOutput(literal.Text.Length);
        Output.WriteLiteral(literal);
        if (literal.Text.Length > 0)
        {
            _atLineStart = literal.EndsWithNewline;
        }
    }

    /// <summary>
    /// Gets or sets the auto-indentation in effect (Scriban): the white space before the <c>{{</c> of the code block whose
    /// statement is running, when nothing else precedes it on its line; null when none. Text written while it is set is
    /// indented by it (see <see cref="WriteIndented(string, string)"/>).
    /// </summary>
    internal string? Indent { get; set; }

    /// <summary>Gets a value indicating whether the last character written to the current output is a newline.</summary>
    internal bool AtLineStart => _atLineStart;

    /// <summary>Writes text under the indentation in effect (<see cref="Indent"/>), or as it is when there is none.</summary>
    internal void WriteText(string text)
    {
        if (Indent is { } indent)
        {
            WriteIndented(text, indent);
        }
        else
        {
            Write(text);
        }
    }

    /// <summary>
    /// Writes text indented as Scriban indents a block's text: the indent first when the output is at the start of a line,
    /// then after every newline that more of the text follows.
    /// </summary>
    internal void WriteIndented(string text, string indent)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (_atLineStart)
        {
            Write(indent);
        }

        var start = 0;
        int newline;
        while ((newline = text.IndexOf('\n', start)) >= 0 && newline < text.Length - 1)
        {
            Write(text.AsSpan(start, newline + 1 - start));
            Write(indent);
            start = newline + 1;
        }

        Write(text.AsSpan(start));
    }

    /// <summary>Writes a text literal already indented at parse time by <paramref name="indent"/> (the indent in effect).</summary>
    internal void WriteIndentedLiteral(TextLiteral indented, string indent)
    {
        if (indented.Text.Length == 0)
        {
            return;
        }

        if (_atLineStart)
        {
            Write(indent);
        }

        WriteLiteral(indented);
    }

    internal void WriteValue(object? value)
    {
        switch (value)
        {
            case null:
                return;
            case string s:
                Write(s);
                return;
            case int i:
                WriteFormatted(i);
                return;
            case long l:
                WriteFormatted(l);
                return;
            case decimal m:
                WriteDecimal(m);
                return;
            case double d:
                WriteDouble(d);
                return;
            default:
                Write(ToText(value));
                return;
        }
    }

    // Where TryWriteUtf8Member has a member write its text (made once per context).
    private byte[]? _utf8Member;

    /// <summary>
    /// The output of <c>{{ target.name }}</c> when the target writes the member's text as UTF-8 itself
    /// (<see cref="IUtf8TemplateMembers"/>) and the render is UTF-8: returns <see langword="true"/> when it was written
    /// (charged like any other write); <see langword="false"/> when the caller reads the member as usual.
    /// </summary>
    internal bool TryWriteUtf8Member(IUtf8TemplateMembers target, string name, SourceSpan span, bool nonEmptyOnly = false)
    {
        if (Output is not Utf8BufferOutput utf8)
        {
            return false;
        }

        // A buffer of the context's own rather than a stackalloc, which would clear its 512 bytes on every output.
        Span<byte> stack = _utf8Member ??= new byte[512];
        var length = target.WriteUtf8Member(name, stack);
        if (length <= 0)
        {
            // -1: not written this way; 0: an empty or null value, which writes nothing (unless the caller must tell
            // null from text, as the left side of `??` must: then nothing is written and the caller reads the member).
            return length == 0 && !nonEmptyOnly;
        }

        CurrentSpan = span;
        byte[]? rented = null;
        try
        {
            scoped ReadOnlySpan<byte> bytes;
            if (length <= stack.Length)
            {
                bytes = stack[..length];
            }
            else
            {
                rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
                var again = target.WriteUtf8Member(name, rented);
                if (again < 0 || again > rented.Length)
                {
                    throw Error($"The member '{name}' of {target.GetType().Name} reported {length} UTF-8 bytes, then {again}; IUtf8TemplateMembers.WriteUtf8Member must write the same text each time.");
                }

                bytes = rented.AsSpan(0, again);
            }

            if (!TryWriteValidUtf8(utf8, bytes))
            {
                throw Error($"The member '{name}' of {target.GetType().Name} wrote invalid UTF-8; IUtf8TemplateMembers.WriteUtf8Member must write valid UTF-8.");
            }

            return true;
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The output of <c>{{ target.name }}</c> when the target is a JSON object, with one property lookup: a string is
    /// written as UTF-8 (returns <see langword="true"/>); any other value is normalized into <paramref name="value"/>
    /// for the caller to print, and a missing member gets <see cref="MemberAccessor.TryGet"/>'s answer (<c>empty?</c>, else null).
    /// </summary>
    internal bool TryWriteJsonMember(System.Text.Json.JsonElement target, string name, byte[]? utf8Name, SourceSpan span, out object? value)
    {
        if (!MemberAccessor.TryGetJsonProperty(target, name, utf8Name, out var property))
        {
            value = MemberAccessor.TrySpecial(target, name, out var special) ? special : null;
            return false;
        }

        if (property.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            CurrentSpan = span;
            WriteJsonText(property);
            value = null;
            return true;
        }

        value = ScriptValue.Normalize(property);
        return false;
    }

    /// <summary>
    /// Copies UTF-8 text to a UTF-8 output, charged in UTF-16 units like every other write; <see langword="false"/>
    /// (nothing written) when the bytes are not valid UTF-8.
    /// </summary>
    private bool TryWriteValidUtf8(Utf8BufferOutput utf8, ReadOnlySpan<byte> bytes)
    {
        int chars;
        if (System.Text.Ascii.IsValid(bytes))
        {
            chars = bytes.Length;
        }
        else if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            chars = System.Text.Encoding.UTF8.GetCharCount(bytes);
        }
        else
        {
            return false;
        }

        if (chars > 0)
        {
            ChargeOutput(chars);
            utf8.WriteUtf8(bytes);
            _atLineStart = bytes[^1] == (byte)'\n';
        }

        return true;
    }

    /// <summary>
    /// Writes a JSON string element as <see cref="WriteValue"/> writes the string it holds. Into a UTF-8 output, a value
    /// without escapes is copied as the UTF-8 it already is (no string is built and encoded again); anything else (escapes,
    /// invalid UTF-8, other outputs) goes through <see cref="System.Text.Json.JsonElement.GetString"/>.
    /// </summary>
    internal void WriteJsonText(System.Text.Json.JsonElement element)
    {
#if NET9_0_OR_GREATER
        if (Output is Utf8BufferOutput utf8)
        {
            var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element);
            if (raw.Length >= 2 && raw[0] == (byte)'"' && raw[^1] == (byte)'"')
            {
                var content = raw[1..^1];
                if (content.IndexOf((byte)'\\') < 0 && TryWriteValidUtf8(utf8, content))
                {
                    return;
                }
            }
        }
#endif
        Write(element.GetString());
    }

    private void WriteDouble(double value)
    {
        // Same text as ScriptValue.FormatDouble: whole numbers without exponent, otherwise the shortest round-trip form.
        if (double.IsFinite(value) && Math.Abs(value) < 1e16 && value == Math.Floor(value) && !(value == 0 && double.IsNegative(value)))
        {
            WriteDecimal((decimal)value);
            return;
        }

        Span<char> buffer = stackalloc char[40];
        if (value.TryFormat(buffer, out var written, "R", Culture))
        {
            ChargeOutput(written);
            Output.Write(buffer[..written]);
            _atLineStart = false;
        }
        else
        {
            Write(ScriptValue.FormatDouble(value, Culture));
        }
    }

    internal void WriteDecimal(decimal value)
    {
        Span<char> buffer = stackalloc char[40];
        if (DecimalFormatter.TryFormat(value, buffer, _numberFormat, out var written))
        {
            ChargeOutput(written);
            Output.Write(buffer[..written]);
            _atLineStart = false;
        }
        else
        {
            WriteFormatted(value);
        }
    }

    private void WriteFormatted<T>(T value)
        where T : ISpanFormattable
    {
        Span<char> buffer = stackalloc char[64];
        if (value.TryFormat(buffer, out var written, default, Culture))
        {
            ChargeOutput(written);
            Output.Write(buffer[..written]);
            _atLineStart = false;
        }
        else
        {
            Write(value.ToString(null, Culture));
        }
    }

    private void ChargeOutput(int length)
    {
        _outputLength += length;
        if (_outputLength > _maxOutputLength)
        {
            ThrowOutputLimit();
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void ThrowOutputLimit() => throw new TemplateLimitExceededException(
        nameof(TemplateLimits.MaxOutputLength),
        Limits.MaxOutputLength,
        $"The template output exceeded {Limits.MaxOutputLength} characters (TemplateLimits.MaxOutputLength).",
        CurrentSpan,
        SourceName);

    internal void Configure(TemplateOptions options, RenderOptions render, TemplateOutput output)
    {
        Options = options;
        Limits = options.Limits;
        _maxRecursionDepth = Limits.MaxRecursionDepth;
        _maxLoopIterations = Limits.MaxLoopIterations;
        _maxOutputLength = Limits.MaxOutputLength;
        _maxWork = Limits.MaxWork;
        if (!ReferenceEquals(options, _policyOptions))
        {
            Members = MemberPolicy.For(options);
            _policyOptions = options;
        }

        SourceName = options.SourceName;
        Culture = render.Culture;
        _numberFormat = NumberFormatInfo.GetInstance(Culture);
        TimeProvider = render.TimeProvider;
        CancellationToken = render.CancellationToken;
        _strict = options.StrictVariables || render.StrictVariables;
        StrictGuard = 0;
        ConfigureBuiltins(render);
        ConfigureLiquid();
        Output = output;
        _loopIterations = 0;
        _work = 0;
        _outputLength = 0;
        _atLineStart = false;
        Indent = null;
        _stringWork = 0;
        _callDepth = 0;
        CurrentSpan = default;
    }

    private readonly ScriptArguments?[] _argumentPool = new ScriptArguments?[32];
    private int _argumentPoolCount;

    internal ScriptArguments RentArguments()
    {
        if (_argumentPoolCount > 0)
        {
            var last = _argumentPool[--_argumentPoolCount]!;
            _argumentPool[_argumentPoolCount] = null;
            return last;
        }

        return new ScriptArguments();
    }

    internal void ReturnArguments(ScriptArguments arguments)
    {
        arguments.Reset();
        if (_argumentPoolCount < _argumentPool.Length)
        {
            _argumentPool[_argumentPoolCount++] = arguments;
        }
    }


    private sealed class NullOutput : TemplateOutput
    {
        public static readonly NullOutput Instance = new();

        public override void Write(string text)
        {
        }

        public override void Write(ReadOnlySpan<char> text)
        {
        }
    }
}
