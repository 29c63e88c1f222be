namespace Personalize.Samples.ConsoleHost;

/// <summary>One subcommand of the console host.</summary>
internal interface ICommand
{
    int Run(CommandLine commandLine, TextWriter output, TextWriter error);
}
