using Microsoft.Extensions.DependencyInjection;
using Personalize.Decisions;
using Personalize.Serialization;

namespace Personalize.Samples.ConsoleHost;

/// <summary><c>list [--data FILE] [--catalog FILE]</c>: the ids to give <c>--customer</c> and <c>--message</c>, one a line, with a few words each.</summary>
internal sealed class ListCommand : ICommand
{
    public int Run(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        using var services = SampleHost.BuildServices(commandLine);
        var file = SampleHost.ResolveDataFile(commandLine);
        var customers = SampleHost.LoadCustomers(services.GetRequiredService<CustomerJson>(), file);
        var catalogFile = SampleHost.ResolveCatalogFile(commandLine);
        var catalog = SampleHost.LoadCatalog(catalogFile, services.GetRequiredService<DecisionEngine>().Eligibility.Channels);

        output.WriteLine($"customers ({customers.Count}, {Path.GetFileName(file)}): --customer ID");
        foreach (var customer in customers)
        {
            var channels = string.Join(", ", customer.Preferences.ChannelRanking.Select(static c => c.Name));
            output.WriteLine($"  {customer.Id,-12} {customer.Stage.ToString().ToLowerInvariant(),-10} {(channels.Length == 0 ? "no channel ranking" : channels)}");
        }

        output.WriteLine();
        output.WriteLine($"messages ({catalog.Count}, {Path.GetFileName(catalogFile)}): --message ID");
        foreach (var message in catalog.Source.Messages)
        {
            output.WriteLine($"  {message.Id,-24} {message.Purpose.ToString().ToLowerInvariant(),-12} {string.Join(" ", message.Triggers)} · {string.Join(", ", message.Channels.Select(static c => c.Channel.Name))}");
        }

        return ConsoleApp.Ok;
    }
}
