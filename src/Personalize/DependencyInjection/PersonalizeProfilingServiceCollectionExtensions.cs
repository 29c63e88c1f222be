using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Personalize.Events;
using Personalize.Profiling;
using Personalize.Sending;
using Personalize.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers progressive profiling.</summary>
public static class PersonalizeProfilingServiceCollectionExtensions
{
    /// <summary>
    /// Registers a question bank: rendered messages whose templates read <c>question</c> carry one of its questions
    /// (<see cref="SendingOptions.Questions"/>), and <see cref="ProfilingAnswers"/> records answers (it needs an
    /// <see cref="IPersonalizeStore"/> registration, for example <c>AddPersonalizeSqlite</c>). The preference center of
    /// <c>Personalize.AspNetCore</c> then answers the question links. Calling it again replaces the bank.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="bank">The questions (<see cref="QuestionBankJson.Read"/> or <see cref="QuestionBank.Create"/>).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPersonalizeProfiling(this IServiceCollection services, QuestionBank bank)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(bank);
        services.Replace(ServiceDescriptor.Singleton(bank));
        services.Configure<SendingOptions>(o => o.Questions = bank);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new ProfilingAnswers(
            sp.GetRequiredService<QuestionBank>(),
            sp.GetRequiredService<IPersonalizeStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IOptions<EventOptions>>()?.Value));
        return services;
    }
}
