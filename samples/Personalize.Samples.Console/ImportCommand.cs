using Microsoft.Extensions.DependencyInjection;
using Personalize.Serialization;

namespace Personalize.Samples.ConsoleHost;

/// <summary>
/// <c>import --data FILE [--db FILE]</c> (or <c>--customers N</c> for N synthetic customers): reads a customers file and imports it into the store in one transaction:
/// new customers are created, known ones get their profile facts replaced and the consent records and history they
/// carry that the store does not hold yet. Every error is listed with its JSON path and line (bad JSON, bad values, an
/// address or number on the suppression list), and then nothing is imported.
/// </summary>
internal sealed class ImportCommand : ICommand
{
    public int Run(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        if (commandLine.DataFile is null && commandLine.SyntheticCustomers is null)
        {
            error.WriteLine("error: import needs --data FILE (a customers file: { \"customers\": [ … ] }) or --customers N (synthetic customers).");
            return ConsoleApp.UsageError;
        }

        using var services = SampleHost.BuildServices(commandLine);
        using var hosted = StoreHost.Open(commandLine, services, output, seed: false);
        var store = hosted.Store;
        if (commandLine.SyntheticCustomers is { } count)
        {
            StoreHost.SeedSynthetic(store, count, output);
            return ConsoleApp.Ok;
        }

        var result = StoreHost.Import(store, services.GetRequiredService<CustomerJson>(), commandLine.DataFile!);
        output.WriteLine($"Imported {commandLine.DataFile} into {hosted.Path}: {result.Created} new customers, {result.Updated} updated, {result.ConsentRecordsAdded} consent records and {result.HistoryRecordsAdded} history records added.");
        return ConsoleApp.Ok;
    }
}
