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

    /// <summary>
    /// Gets the time zone of the render: <c>date.now</c> gives the local time there and dates parsed with an explicit
    /// offset are converted to it.
    /// </summary>
    /// <value>The default value is <see cref="TimeZoneInfo.Utc"/> (deterministic whatever the server's zone).</value>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>Gets the clock builtins such as <c>date.now</c> read.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets the token that cancels the render (checked at every loop step and call).</summary>
    /// <value>The default value is <see cref="CancellationToken.None"/>.</value>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Gets whether this render is strict even when the template was parsed without <see cref="TemplateOptions.StrictVariables"/>:
    /// a missing variable or member (<c>customer.first_name</c> when the customer has none) stops the render with a
    /// <see cref="TemplateRuntimeException"/> naming it, instead of printing blank. The left side of <c>??</c>/<c>?!</c>,
    /// <c>?.</c> and <c>if</c> conditions stay lenient, so templates can still test and fall back.
    /// </summary>
    /// <value>The default value is <see langword="false"/> (the template's setting applies).</value>
    public bool StrictVariables { get; init; }

    /// <summary>Gets extra globals for this render (above the template's globals, below the model). Rendering freezes the object (<see cref="ScriptObject.Freeze"/>) so that it can be shared.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public ScriptObject? Globals { get; init; }

    /// <summary>Returns a copy that formats with the predefined culture <paramref name="cultureName"/> (e.g. <c>"de-DE"</c>).</summary>
    /// <param name="cultureName">A predefined culture name such as <c>"en-US"</c> or <c>"de-DE"</c>; <c>"invariant"</c> or <c>""</c> for the invariant culture.</param>
    /// <returns>The new options.</returns>
    /// <exception cref="CultureNotFoundException">The name is not a culture known to this machine's globalization data.</exception>
    public RenderOptions WithCulture(string cultureName)
    {
        ArgumentNullException.ThrowIfNull(cultureName);
        if (!Builtins.BuiltinHelpers.TryGetCulture(cultureName, out var culture))
        {
            throw new CultureNotFoundException(
                nameof(cultureName),
                cultureName,
                $"Unknown culture `{cultureName}` passed to RenderOptions.WithCulture. Use a predefined culture name such as \"en-US\", \"de-DE\" or \"fr-FR\" (or \"invariant\"). If every name fails, the process may run with InvariantGlobalization=true or without ICU.");
        }

        return this with { Culture = culture };
    }

    /// <summary>Returns a copy whose dates are in the time zone <paramref name="timeZoneId"/> (IANA such as <c>"Europe/Berlin"</c>, or Windows ids).</summary>
    /// <param name="timeZoneId">The time zone id.</param>
    /// <returns>The new options.</returns>
    /// <exception cref="TimeZoneNotFoundException">The id is not a time zone known to this machine.</exception>
    public RenderOptions WithTimeZone(string timeZoneId)
    {
        ArgumentNullException.ThrowIfNull(timeZoneId);
        try
        {
            return this with { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(timeZoneId) };
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new TimeZoneNotFoundException($"Unknown time zone `{timeZoneId}` passed to RenderOptions.WithTimeZone. Use an IANA id such as \"Europe/Berlin\" or \"America/New_York\" (or \"UTC\").", ex);
        }
    }
}
