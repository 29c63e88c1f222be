using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Personalize.Profiling;
using Personalize.Sending;

namespace Personalize.Samples.ConsoleHost;

/// <summary>
/// <c>profiling [--db FILE | --postgres CS]</c>: per question of the sample's question bank (data/questions.json), how
/// many messages carried it, how many customers were asked, how many answered and the share of those asked who answered.
/// </summary>
internal sealed class ProfilingCommand : ICommand
{
    public int Run(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        using var services = SampleHost.BuildServices(commandLine);
        using var hosted = StoreHost.Open(commandLine, services, output);
        var bank = services.GetRequiredService<IOptions<SendingOptions>>().Value.Questions!;
        var report = StoreHost.Wait(new ValueTask<ProfilingReport>(ProfilingReport.ReadAsync(hosted.Store, bank)));

        output.WriteLine($"Progressive profiling over {SummaryRows.N(report.Customers)} customers in {hosted.Path} ({SampleHost.ResolveQuestionsFile()})");
        output.WriteLine();
        var rows = new List<string[]> { new[] { "question", "fills", "asks", "customers asked", "answered", "answered after an ask", "answer rate" } };
        foreach (var q in report.Questions)
        {
            rows.Add([q.QuestionId, q.Fills, SummaryRows.N(q.Asks), SummaryRows.N(q.CustomersAsked), SummaryRows.N(q.Answered), SummaryRows.N(q.AnsweredAfterAsk), q.CustomersAsked == 0 ? "-" : q.AnswerRate.ToString("P0", CultureInfo.InvariantCulture)]);
        }

        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, c) => c is 0 or 1 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        }

        output.WriteLine();
        output.WriteLine("A message carries a question when its template shows `question` (at most one, never one answered or asked in the");
        output.WriteLine($"last {bank.AskAgainAfter.TotalDays.ToString(CultureInfo.InvariantCulture)} days); answers come from the web sample's answer page, an SMS keyword reply event, or the API.");
        return 0;
    }
}
