using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Personalize.Storage.Contract;

/// <summary>
/// A contract test: a <see cref="FactAttribute"/> that the deriving test class can skip as a whole, with a reason, by
/// declaring <c>public static string? SkipReason { get; }</c> (read when tests are discovered). A store that needs a
/// server (PostgreSQL) skips its contract tests when no server is configured, and says how to run them; stores that
/// need nothing (in memory, SQLite) never skip.
/// </summary>
[XunitTestCaseDiscoverer("Personalize.Storage.Contract.StoreFactDiscoverer", "Personalize.Storage.Contract")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreFactAttribute : FactAttribute
{
}

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests, skipped when the test class's <c>SkipReason</c> is not null.</summary>
/// <param name="diagnosticMessageSink">Where diagnostics go.</param>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    /// <inheritdoc />
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var skip = testMethod.TestClass.Class.ToRuntimeType()?.GetProperty("SkipReason", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.GetValue(null) as string;
        return skip is null
            ? base.CreateTestCase(discoveryOptions, testMethod, factAttribute)
            : new SkippedTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, skip);
    }

    /// <summary>A test case skipped with a reason decided at discovery.</summary>
    public sealed class SkippedTestCase : XunitTestCase
    {
        private string _reason = string.Empty;

        /// <summary>For deserialization only.</summary>
        [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
        public SkippedTestCase()
        {
        }

        /// <summary>Creates the test case.</summary>
        public SkippedTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method, string reason)
            : base(sink, display, options, method)
        {
            _reason = reason;
        }

        /// <inheritdoc />
        public override void Serialize(IXunitSerializationInfo data)
        {
            base.Serialize(data);
            data.AddValue("SkipReasonText", _reason);
        }

        /// <inheritdoc />
        public override void Deserialize(IXunitSerializationInfo data)
        {
            _reason = data.GetValue<string>("SkipReasonText");
            base.Deserialize(data);
        }

        /// <inheritdoc />
        protected override string GetSkipReason(IAttributeInfo factAttribute) => _reason;
    }
}
