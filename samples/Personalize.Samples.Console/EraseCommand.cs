using Microsoft.Extensions.DependencyInjection;

namespace Personalize.Samples.ConsoleHost;

/// <summary>
/// <c>erase --customer ID [--db FILE] [--now INSTANT]</c>: the right to be forgotten. Deletes the customer's profile,
/// attributes, consent evidence, history and deferred sends; keeps the delivery log's keys without the customer; puts a
/// salted hash of each email, phone and device token on the suppression list, so importing them again is refused.
/// </summary>
internal sealed class EraseCommand : ICommand
{
    public int Run(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        if (commandLine.CustomerId is not { } id)
        {
            error.WriteLine("error: erase needs --customer ID.");
            return ConsoleApp.UsageError;
        }

        using var services = SampleHost.BuildServices(commandLine);
        using var hosted = StoreHost.Open(commandLine, services, output);
        var store = hosted.Store;
        var at = commandLine.Now ?? services.GetRequiredService<TimeProvider>().GetUtcNow();
        var result = StoreHost.Wait(store.EraseCustomerAsync(id, at));
        if (!result.Found)
        {
            throw new SampleException($"no customer '{id}' in {hosted.Path} (already erased, or never imported).");
        }

        output.WriteLine($"Erased {id} from {hosted.Path}: profile and attributes, {result.ConsentRecords} consent records, {result.HistoryRecords} history records and {result.ScheduledSends} deferred sends deleted; {result.DeliveriesAnonymized} delivery log entries kept without the customer (so nothing is sent twice); {result.ContactPointsSuppressed} contact points on the suppression list as salted hashes (importing them again is refused).");
        return ConsoleApp.Ok;
    }
}
