using Microsoft.Extensions.DependencyInjection;
using Personalize.Channels;
using Personalize.Timing;

namespace Personalize.Tests.Docs;

/// <summary>The DI snippet of the docs, compiled and run by <see cref="ReadmeTests"/>.</summary>
internal static class DependencyInjectionSnippet
{
    public static IServiceCollection Run(IServiceCollection services)
    {
        // begin-snippet: dependency-injection
        services.AddPersonalize(options =>
        {
            options.AddChannel("whatsapp", ContactPointKind.MobilePhone, "WhatsApp");
            options.DefaultQuietHours = new TimeWindow(new TimeOnly(21, 0), new TimeOnly(8, 0));
        });
        // end-snippet
        return services;
    }
}
