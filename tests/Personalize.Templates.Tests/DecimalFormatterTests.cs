using System.Globalization;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Tests;

public sealed class DecimalFormatterTests
{
    public static TheoryData<decimal> Values() => new()
    {
        0m, 1m, -1m, 0.99m, 1.50m, 0.001m, -0.05m, 100m, 1234.5m, 99.990m, 123456789.123456789m, -987654321.0001m,
        decimal.MaxValue, decimal.MinValue, 18446744073709551615m, 0.0000000000000000000000000001m, -0.00m, 42.000000m,
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Formats_exactly_like_decimal_ToString(decimal value)
    {
        Span<char> buffer = stackalloc char[64];
        foreach (var culture in new[] { CultureInfo.InvariantCulture, new CultureInfo("fr-FR"), new CultureInfo("de-CH") })
        {
            var expected = value.ToString(culture);
            var text = DecimalFormatter.TryFormat(value, buffer, culture, out var written) ? new string(buffer[..written]) : value.ToString(culture);

            Assert.Equal(expected, text);
            Assert.Equal(expected, Template.Parse("{{ v }}").Render(new { V = value }, new RenderOptions { Culture = culture }));
        }
    }
}
