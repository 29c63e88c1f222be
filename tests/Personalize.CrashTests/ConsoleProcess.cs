using System.Diagnostics;
using System.Text;

namespace Personalize.CrashTests;

/// <summary>The console host as a real process (<c>dotnet personalize-console.dll …</c>), from the console project's own build output.</summary>
internal sealed class ConsoleProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly object _gate = new();
    private Func<string, bool>? _waitFor;
    private TaskCompletionSource<string>? _seen;

    private ConsoleProcess(string[] args, string workingDirectory)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ConsoleDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, _output);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, _error);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The console's build output for the configuration these tests were built in.</summary>
    public static string ConsoleDll { get; } = FindConsole();

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_gate)
            {
                return _error.ToString();
            }
        }
    }

    public static ConsoleProcess Start(string workingDirectory, params string[] args) => new(args, workingDirectory);

    /// <summary>Runs to the end and returns the exit code.</summary>
    public static (int Exit, string Output, string Error) Run(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        var exit = process.WaitForExit(TimeSpan.FromMinutes(30));
        return (exit, process.Output, process.Error);
    }

    /// <summary>Waits until a line of standard output matches, or the process ends first (then returns null).</summary>
    public async Task<string?> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        TaskCompletionSource<string> seen;
        lock (_gate)
        {
            foreach (var line in _output.ToString().Split('\n'))
            {
                if (match(line))
                {
                    return line;
                }
            }

            _waitFor = match;
            seen = _seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var exited = _process.WaitForExitAsync();
        var done = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout)).ConfigureAwait(false);
        return done == seen.Task ? await seen.Task.ConfigureAwait(false) : null;
    }

    /// <summary>Gets whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: the process dies at once, in whatever it was doing.</summary>
    public void KillNow()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill();
            throw new TimeoutException($"The console did not finish in {timeout}.\n{Output}\n{Error}");
        }

        _process.WaitForExit(); // drains the output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private void OnLine(string? line, StringBuilder into)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            into.Append(line).Append('\n');
            if (into == _output && _waitFor is { } match && match(line))
            {
                _waitFor = null;
                _seen!.TrySetResult(line);
            }
        }
    }

    private static string FindConsole()
    {
        // tests/Personalize.CrashTests/bin/<Configuration>/net10.0/ → the same configuration of the console project.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dll = RepoPaths.Combine("samples", "Personalize.Samples.Console", "bin", configuration, "net10.0", "personalize-console.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the console first (dotnet build Personalize.sln -c {configuration}): {dll} is missing.", dll);
        }

        return dll;
    }
}
