using Personalize.Samples.Web;

// The preference center of the Green Thumb sample, over the same SQLite database as the console sample:
//   dotnet run --project samples/Personalize.Samples.Web [--db FILE] [--urls http://localhost:5000]
var app = SampleWeb.Build(args);
await SampleWeb.SeedAndIntroduceAsync(app);
await app.RunAsync();

/// <summary>The entry point (public for WebApplicationFactory in the tests).</summary>
public partial class Program;
