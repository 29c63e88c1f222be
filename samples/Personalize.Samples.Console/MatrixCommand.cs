using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Personalize.Events;
using Personalize.Storage;

namespace Personalize.Samples.ConsoleHost;

/// <summary>
/// <c>matrix [--since INSTANT] [--now INSTANT] [--db FILE | --postgres CS]</c>: the relationship matrix of the store's customers as a
/// grid (strength rows, longevity columns) with the number of customers per tier, and who moved between tiers since an
/// instant (default: the 7 days before now). The tick places customers; a customer it has not placed yet is counted apart.
/// </summary>
internal sealed class MatrixCommand : ICommand
{
    private const int ShownMoves = 50;
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public int Run(CommandLine commandLine, TextWriter output, TextWriter error)
    {
        using var services = SampleHost.BuildServices(commandLine);
        using var hosted = StoreHost.Open(commandLine, services, output);
        var store = hosted.Store;
        var now = commandLine.Now ?? services.GetRequiredService<TimeProvider>().GetUtcNow();
        var since = commandLine.Since ?? now.AddDays(-7);
        var matrix = RelationshipMatrix.Default;

        var counts = new long[matrix.StrengthBounds.Count + 1, matrix.LongevityDays.Count + 1];
        long total = 0, unplaced = 0;
        string? token = null;
        do
        {
            var page = StoreHost.Wait(store.ReadCustomersAsync(new CustomerQuery { Limit = 2000, ContinueAfter = token }));
            foreach (var customer in page.Items)
            {
                total++;
                var facts = customer.Profile.Facts;
                var longevity = (int)facts.NumberOf(FactNames.MatrixLongevity);
                var strength = (int)facts.NumberOf(FactNames.MatrixStrength);
                if (facts.ValueOf(FactNames.Tier) is null || longevity < 1 || strength < 1 || strength > counts.GetLength(0) || longevity > counts.GetLength(1))
                {
                    unplaced++;
                    continue;
                }

                counts[strength - 1, longevity - 1]++;
            }

            token = page.ContinueAfter;
        }
        while (token is not null);

        output.WriteLine($"Relationship matrix of {SummaryRows.N(total)} customers in {hosted.Path}");
        output.WriteLine();
        var columns = Enumerable.Range(0, matrix.LongevityDays.Count + 1).Select(l => LongevityLabel(matrix, l)).ToList();
        var cells = new string[counts.GetLength(0), counts.GetLength(1)];
        var width = columns.Max(static c => c.Length);
        for (var s = 0; s < counts.GetLength(0); s++)
        {
            for (var l = 0; l < counts.GetLength(1); l++)
            {
                cells[s, l] = $"{matrix.Tiers[s][l]} {SummaryRows.N(counts[s, l])}";
                width = Math.Max(width, cells[s, l].Length);
            }
        }

        const string Corner = "strength \\ longevity";
        output.WriteLine(($"{Corner,-22}" + string.Concat(columns.Select(c => "  " + c.PadRight(width)))).TrimEnd());
        for (var s = counts.GetLength(0) - 1; s >= 0; s--)
        {
            var row = $"{StrengthLabel(matrix, s),-22}";
            for (var l = 0; l < counts.GetLength(1); l++)
            {
                row += "  " + cells[s, l].PadRight(width);
            }

            output.WriteLine(row.TrimEnd());
        }

        if (unplaced > 0)
        {
            output.WriteLine();
            output.WriteLine($"not placed yet: {SummaryRows.N(unplaced)} (run tick to place them)");
        }

        output.WriteLine();
        var moves = new List<CustomerChange>();
        long moveCount = 0;
        token = null;
        do
        {
            var page = StoreHost.Wait(store.ReadChangesAsync(new ChangeQuery { Kind = ChangeKinds.Tier, Since = since, Limit = 1000, ContinueAfter = token }));
            foreach (var change in page.Items.Where(static c => c.From is not null))
            {
                moveCount++;
                if (moves.Count < ShownMoves)
                {
                    moves.Add(change);
                }
            }

            token = page.ContinueAfter;
        }
        while (token is not null);

        output.WriteLine($"Moved since {RunCommand.Time(since)} UTC: {SummaryRows.N(moveCount)}");
        foreach (var m in moves)
        {
            output.WriteLine($"  {RunCommand.Time(m.At)}  {m.CustomerId}  {m.From} -> {m.To}  ({m.Cause})");
        }

        if (moveCount > moves.Count)
        {
            output.WriteLine($"  … and {SummaryRows.N(moveCount - moves.Count)} more.");
        }

        return ConsoleApp.Ok;
    }

    private static string LongevityLabel(RelationshipMatrix matrix, int level)
    {
        var days = matrix.LongevityDays;
        var text = level == 0 ? $"< {days[0]} d" : level == days.Count ? $">= {days[^1]} d" : $"{days[level - 1]}-{days[level]} d";
        return string.Create(C, $"{level + 1}: {text}");
    }

    private static string StrengthLabel(RelationshipMatrix matrix, int level)
    {
        var bounds = matrix.StrengthBounds;
        var text = level == 0 ? string.Create(C, $"< {bounds[0]}") : level == bounds.Count ? string.Create(C, $">= {bounds[^1]}") : string.Create(C, $"{bounds[level - 1]}-{bounds[level]}");
        return $"{level + 1}: score {text}";
    }
}
