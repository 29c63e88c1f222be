using Microsoft.Extensions.DependencyInjection;
using Personalize.Catalog;
using Personalize.Decisions;
using Personalize.Serialization;

namespace Personalize.Samples.ConsoleHost;

/// <summary>
/// <c>explain --customer ID [--trigger T]</c>: decides which catalog message goes to one customer, on which channel
/// and when, and explains every message of the catalog (the rule that stopped it, the scores, the channels tried).
/// </summary>
internal sealed class ExplainCommand : ICommand
{
    public int Run(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        if (string.IsNullOrWhiteSpace(commandLine.CustomerId))
        {
            error.WriteLine("error: explain needs --customer ID (for example --customer c-001).");
            return ConsoleApp.UsageError;
        }

        var trigger = Trigger.Tick;
        if (commandLine.Trigger is { } triggerText && !Trigger.TryParse(triggerText, out trigger))
        {
            error.WriteLine($"error: --trigger '{triggerText}' is not a trigger; write event:NAME, campaign:NAME or schedule.");
            return ConsoleApp.UsageError;
        }

        using var services = SampleHost.BuildServices(commandLine);
        var engine = services.GetRequiredService<DecisionEngine>();
        var clock = services.GetRequiredService<TimeProvider>();
        var customers = SampleHost.LoadCustomers(services.GetRequiredService<CustomerJson>(), SampleHost.ResolveDataFile(commandLine));
        var catalog = SampleHost.LoadCatalog(SampleHost.ResolveCatalogFile(commandLine), engine.Eligibility.Channels);
        var customer = SampleHost.FindCustomer(customers, commandLine.CustomerId);

        var decision = engine.Decide(catalog, customer, trigger, clock.GetUtcNow(), DecisionDetail.All);
        output.Write(commandLine.Json ? decision.ToJson() + Environment.NewLine : decision.Explain());
        return ConsoleApp.Ok;
    }
}
