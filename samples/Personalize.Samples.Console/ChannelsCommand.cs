using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Eligibility;
using Personalize.Serialization;

namespace Personalize.Samples.ConsoleHost;

/// <summary><c>channels [--customer ID]</c>: per customer (or for one), the channels they may be contacted on now, for marketing and for service, and why not where not.</summary>
internal sealed class ChannelsCommand : ICommand
{
    private static readonly ContactPurpose[] Purposes = [ContactPurpose.Marketing, ContactPurpose.Service];

    public int Run(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        using var services = SampleHost.BuildServices(commandLine);
        var eligibility = services.GetRequiredService<ContactEligibility>();
        var clock = services.GetRequiredService<TimeProvider>();
        var file = SampleHost.ResolveDataFile(commandLine);
        IReadOnlyList<CustomerProfile> customers = SampleHost.LoadCustomers(services.GetRequiredService<CustomerJson>(), file);
        if (commandLine.CustomerId is { } id)
        {
            customers = [SampleHost.FindCustomer(customers, id)];
        }

        var now = clock.GetUtcNow();
        var c = CultureInfo.InvariantCulture;

        output.WriteLine($"Contact availability at {now.ToString("yyyy-MM-dd HH:mm", c)} UTC for {customers.Count} customers ({Path.GetFileName(file)})");
        output.WriteLine();

        var reachable = new int[Purposes.Length];
        var codes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var customer in customers)
        {
            var local = TimeZoneInfo.ConvertTime(now, customer.TimeZone);
            output.WriteLine($"{customer.Id}  {Name(customer)} · {customer.Stage.ToString().ToLowerInvariant()} · {customer.TimeZone.Id} (local {local.ToString("ddd HH:mm", c)}){Flags(customer.ServiceFlags)}");

            var channels = Ordered(customer, eligibility.Channels);
            var results = new EligibilityResult[Purposes.Length, channels.Count];
            for (var p = 0; p < Purposes.Length; p++)
            {
                var allowed = new List<string>();
                for (var i = 0; i < channels.Count; i++)
                {
                    var result = eligibility.Check(customer, channels[i].Channel, Purposes[p], now);
                    results[p, i] = result;
                    if (result.Allowed)
                    {
                        allowed.Add(channels[i].DisplayName);
                    }
                    else
                    {
                        codes[result.Code] = codes.GetValueOrDefault(result.Code) + 1;
                    }
                }

                if (allowed.Count > 0)
                {
                    reachable[p]++;
                }

                var label = Purposes[p].ToString().ToLowerInvariant() + ":";
                output.WriteLine($"  {label,-11}{(allowed.Count == 0 ? "—" : string.Join(", ", allowed))}");
            }

            var whyNot = new List<string>();
            var missing = new List<string>[Purposes.Length];
            for (var i = 0; i < channels.Count; i++)
            {
                var marketing = results[0, i];
                var service = results[1, i];
                var name = channels[i].DisplayName;
                if (!marketing.Allowed && !service.Allowed && marketing.Code == service.Code && marketing.Reason == service.Reason)
                {
                    whyNot.Add($"    {name} (marketing, service): {marketing.Code} — {marketing.Reason}");
                    continue;
                }

                for (var p = 0; p < Purposes.Length; p++)
                {
                    var result = results[p, i];
                    if (result.Allowed)
                    {
                        continue;
                    }

                    if (result.Code == EligibilityCodes.ConsentMissing)
                    {
                        (missing[p] ??= []).Add(name);
                    }
                    else
                    {
                        whyNot.Add($"    {name} ({Purposes[p].ToString().ToLowerInvariant()}): {result.Code} — {result.Reason}");
                    }
                }
            }

            for (var p = 0; p < Purposes.Length; p++)
            {
                if (missing[p] is { } names)
                {
                    whyNot.Add($"    {string.Join(", ", names)} ({Purposes[p].ToString().ToLowerInvariant()}): {EligibilityCodes.ConsentMissing} — no opt-in on record.");
                }
            }

            if (whyNot.Count > 0)
            {
                output.WriteLine("  why not:");
                foreach (var line in whyNot)
                {
                    output.WriteLine(line);
                }
            }

            output.WriteLine();
        }

        output.WriteLine($"Reachable now: {reachable[0]} of {customers.Count} for marketing, {reachable[1]} of {customers.Count} for service.");
        output.WriteLine("Checks that said no, by code:");
        foreach (var (code, count) in codes)
        {
            output.WriteLine($"  {code,-32}{count,5}");
        }

        return ConsoleApp.Ok;
    }

    /// <summary>The customer's own channel ranking first, then the remaining registered channels.</summary>
    private static List<ChannelDefinition> Ordered(CustomerProfile customer, ChannelRegistry registry)
    {
        var ordered = new List<ChannelDefinition>(registry.All.Count);
        foreach (var channel in customer.Preferences.ChannelRanking)
        {
            if (registry.TryGet(channel, out var definition))
            {
                ordered.Add(definition);
            }
        }

        foreach (var definition in registry.All)
        {
            if (!ordered.Contains(definition))
            {
                ordered.Add(definition);
            }
        }

        return ordered;
    }

    private static string Name(CustomerProfile customer)
    {
        var first = customer.Attributes.TryGetValue("firstName", out var f) ? f.GetString() : null;
        var last = customer.Attributes.TryGetValue("lastName", out var l) ? l.GetString() : null;
        return string.Join(' ', new[] { first, last }.Where(s => !string.IsNullOrEmpty(s)));
    }

    private static string Flags(ServiceFlags flags)
    {
        var list = new List<string>();
        if (flags.OpenComplaint)
        {
            list.Add("open complaint");
        }

        if (flags.FailedPayment)
        {
            list.Add("failed payment");
        }

        if (flags.IsDetractor)
        {
            list.Add($"detractor (NPS {flags.NpsScore})");
        }

        return list.Count == 0 ? string.Empty : " · service first: " + string.Join(", ", list);
    }
}
