Console.WriteLine("Personalize console sample: not built yet.");
