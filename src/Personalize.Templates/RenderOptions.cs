using System.Globalization;
using Personalize.Templates.Runtime;

namespace Personalize.Templates;

/// <summary>Per-render settings: culture, clock, cancellation and extra globals.</summary>
public sealed record RenderOptions
{
    /// <summary>Gets the default per-render settings.</summary>
    public static RenderOptions Default { get; } = new();

    /// <summary>Gets the culture for number and date formatting.</summary>
    /// <value>The default value is <see cref="CultureInfo.InvariantCulture"/>, like Scriban.</value>
    public CultureInfo Culture { get; init; } = CultureInfo.InvariantCulture;

    /// <summary>Gets the clock builtins such as <c>date.now</c> read.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets the token that cancels the render (checked at every loop step and call).</summary>
    /// <value>The default value is <see cref="CancellationToken.None"/>.</value>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Gets extra globals for this render (above the template's globals, below the model). Rendering freezes the object (<see cref="ScriptObject.Freeze"/>) so that it can be shared.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public ScriptObject? Globals { get; init; }
}
