using Personalize.Samples.ConsoleHost;

return ConsoleApp.Run(args, Console.Out, Console.Error);
