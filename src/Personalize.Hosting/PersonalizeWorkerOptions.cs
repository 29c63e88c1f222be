namespace Personalize.Hosting;

/// <summary>
/// Options of the hosted worker (<c>services.AddPersonalizeWorker()</c>; configuration section <c>Personalize:Worker</c>):
/// how often it sends what became due and ticks, and where the catalog and templates are.
/// </summary>
public sealed class PersonalizeWorkerOptions
{
    /// <summary>Gets or sets the time from the end of one pass to the start of the next.</summary>
    /// <value>The default value is one minute. From one second to one day.</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets whether a pass sends the deferred messages that became due (<c>SendRunner.SendDueAsync</c>).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool SendDue { get; set; } = true;

    /// <summary>Gets or sets whether passes also tick (<c>SendRunner.TickAsync</c>: like-a-friend occasions and tenure stages), every <see cref="TickInterval"/>; the first pass ticks.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Tick { get; set; } = true;

    /// <summary>Gets or sets how often a pass also ticks, when <see cref="Tick"/> is on.</summary>
    /// <value>The default value is one hour. At least <see cref="Interval"/> in effect (a tick runs within a pass).</value>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets how often a pass also runs the registered sweeps (<c>Personalize.Sending.IPersonalizeSweep</c>: for
    /// example the double opt-in confirmations a crash left unsent); the first pass sweeps.
    /// </summary>
    /// <value>The default value is 15 minutes. A sweep may read every customer, so keep it well above <see cref="Interval"/> on a large store.</value>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Gets or sets the catalog JSON file, unless the host registers a <see cref="PersonalizeContent"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? CatalogFile { get; set; }

    /// <summary>Gets or sets the folder of the catalog's templates, unless the host registers a <see cref="PersonalizeContent"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? TemplatesDirectory { get; set; }

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem, each naming its setting; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Interval < TimeSpan.FromSeconds(1) || Interval > TimeSpan.FromDays(1))
        {
            problems.Add($"Interval is {Interval}; use from 00:00:01 to 1.00:00:00.");
        }

        if (TickInterval <= TimeSpan.Zero)
        {
            problems.Add($"TickInterval is {TickInterval}; use a positive time (turn the tick off with Tick = false).");
        }

        if (SweepInterval <= TimeSpan.Zero)
        {
            problems.Add($"SweepInterval is {SweepInterval}; use a positive time.");
        }

        if (!SendDue && !Tick)
        {
            problems.Add("SendDue and Tick are both false: the worker would do nothing; turn one of them on.");
        }

        if (CatalogFile is { } catalog && !File.Exists(catalog))
        {
            problems.Add($"CatalogFile '{catalog}' does not exist (full path: {Path.GetFullPath(catalog)}).");
        }

        if (TemplatesDirectory is { } templates && !Directory.Exists(templates))
        {
            problems.Add($"TemplatesDirectory '{templates}' does not exist (full path: {Path.GetFullPath(templates)}).");
        }

        return problems;
    }
}
