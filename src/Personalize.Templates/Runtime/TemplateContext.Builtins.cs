namespace Personalize.Templates.Runtime;

/// <summary>Per-render state of the builtin library (culture, time zone, <c>array.cycle</c> positions).</summary>
public sealed partial class TemplateContext
{
    private Dictionary<string, int>? _cycles;

    /// <summary>Gets the time zone that <c>date.now</c> and dates parsed with an offset are expressed in.</summary>
    /// <value>The default value is <see cref="TimeZoneInfo.Utc"/>; set it with <see cref="RenderOptions.TimeZone"/>.</value>
    public TimeZoneInfo TimeZone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>Returns the next position of the <c>array.cycle</c> group <paramref name="key"/> in this render.</summary>
    internal int NextCycle(string key)
    {
        _cycles ??= new Dictionary<string, int>(StringComparer.Ordinal);
        _cycles.TryGetValue(key, out var position);
        _cycles[key] = position + 1;
        return position;
    }

    internal void SetCycle(string key, int position) => _cycles![key] = position;

    private void ConfigureBuiltins(RenderOptions render)
    {
        TimeZone = render.TimeZone ?? TimeZoneInfo.Utc;
        _cycles?.Clear();
    }
}
