using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Personalize.Customers;
using Personalize.Serialization;
using Personalize.Timing;

namespace Personalize.Samples.ConsoleHost;

/// <summary>Builds the service provider the way a host would and loads the customers file.</summary>
internal static class SampleHost
{
    public static ServiceProvider BuildServices(CommandLine commandLine)
    {
        var services = new ServiceCollection();
        if (commandLine.Now is { } now)
        {
            services.AddSingleton<TimeProvider>(new FixedTimeProvider(now));
        }

        services.AddPersonalize(options =>
        {
            // A host channel: WhatsApp reaches the customer's phone number.
            options.AddChannel("whatsapp", ContactPointKind.Phone, "WhatsApp");

            // The host's quiet hours for customers who set none, in each customer's own zone.
            options.DefaultQuietHours = new TimeWindow(new TimeOnly(21, 0), new TimeOnly(8, 0));
        });

        var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException ex)
        {
            provider.Dispose();
            throw new SampleException(ex.Message);
        }

        return provider;
    }

    public static string ResolveDataFile(CommandLine commandLine)
        => commandLine.DataFile ?? Path.Combine(AppContext.BaseDirectory, "data", "customers.json");

    public static IReadOnlyList<CustomerProfile> LoadCustomers(CustomerJson json, string file)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SampleException($"{file}: cannot read the customers file ({ex.Message})");
        }

        if (!json.TryReadCustomers(bytes, out var customers, out var errors))
        {
            var lines = new List<string> { $"{file}: {errors.Count} error{(errors.Count == 1 ? string.Empty : "s")}, no customers loaded" };
            foreach (var e in errors)
            {
                lines.Add($"  {file}: {e}");
            }

            throw new SampleException(string.Join(Environment.NewLine, lines));
        }

        return customers;
    }
}
