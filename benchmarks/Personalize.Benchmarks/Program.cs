using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "scriban-diff")
{
    // Long mode of the Scriban differential test: `scriban-diff --seed 1 --count 1000000`.
    var seed = 20_261_205;
    var count = 100_000;
    for (var i = 1; i + 1 < args.Length; i += 2)
    {
        switch (args[i])
        {
            case "--seed": seed = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
            case "--count": count = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
            default: throw new ArgumentException($"Unknown option {args[i]}: use --seed N --count N.");
        }
    }

    var report = Personalize.Templates.Tests.Differential.ScribanDifferential.Run(seed, count, done => Console.Error.WriteLine($"{done} templates"));
    Console.WriteLine(report.Describe());
    File.WriteAllText("scriban-diff-differences.txt", report.DescribeDifferences(50), new System.Text.UTF8Encoding(false));
    Console.WriteLine("Differences (50 per class): scriban-diff-differences.txt");
    return report.Unexplained.Count == 0 ? 0 : 1;
}

if (args.Length > 0 && args[0] == "store-loop")
{
    // The closed loop on SQLite once, with its peak working set: `store-loop --customers 1000000`.
    return Personalize.Benchmarks.Sending.StoreLoopMeasure.Run(args);
}

if (args.Length > 0 && args[0] == "store-path")
{
    // The store's two halves of the closed loop alone, with CPU per message: `store-path --rounds 5` (page reads, then recordings).
    return Personalize.Benchmarks.Sending.StorePathMeasure.Run(args);
}

if (args.Length > 0 && args[0] == "events-loop")
{
    // One ingestion or one tick on SQLite, with CPU per item and peak working set: `events-loop tick --customers 1000000`.
    return Personalize.Benchmarks.Events.EventLoopMeasure.Run(args);
}

if (args.Length > 0 && args[0] == "decide-loop")
{
    // Decisions in a plain loop, with CPU time and allocation per decision (and a process to profile): `decide-loop many --seconds 5`.
    return Personalize.Benchmarks.Decisions.DecideLoopMeasure.Run(args);
}

if (args.Length > 0 && args[0] == "journey-pass")
{
    // The journeys due pass in this process, with CPU time and allocation per instance: `journey-pass --customers 100000 --store sqlite`.
    return Personalize.Benchmarks.Journeys.JourneyPassMeasure.Run(args);
}

if (args.Length > 0 && args[0] == "question-loop")
{
    // The question benchmark's send run in this process, with CPU and allocation per message: `question-loop --questions chosen --runs 20`.
    return Personalize.Benchmarks.Sending.QuestionLoopMeasure.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
