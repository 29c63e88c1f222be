using Personalize.Catalog;
using Personalize.Decisions;

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
        var (engine, catalog, customer, now) = SampleHost.LoadForOneCustomer(services, commandLine);

        var decision = engine.Decide(catalog, customer, trigger, now, DecisionDetail.All);
        output.Write(commandLine.Json ? decision.ToJson() + Environment.NewLine : decision.Explain());
        return ConsoleApp.Ok;
    }
}
