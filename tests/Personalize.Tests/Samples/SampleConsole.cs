using Personalize.Samples.ConsoleHost;

namespace Personalize.Tests.Samples;

/// <summary>Runs the console sample in-process, as a user would from the shell, with the bundled test assets.</summary>
internal static class SampleConsole
{
    /// <summary>The bundled customers file copied next to the tests.</summary>
    public static readonly string Customers = Path.Combine(AppContext.BaseDirectory, "TestAssets", "customers.json");

    /// <summary>The bundled catalog file copied next to the tests.</summary>
    public static readonly string Catalog = Path.Combine(AppContext.BaseDirectory, "TestAssets", "catalog.json");

    /// <summary>Runs the console with <paramref name="args"/> and returns its exit code and both output streams.</summary>
    public static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = ConsoleApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
