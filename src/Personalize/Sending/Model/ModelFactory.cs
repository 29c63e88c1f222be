using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Delivery;

namespace Personalize.Sending.Model;

/// <summary>Builds a template model outside a render (benchmarks and tests render one part against it).</summary>
internal static class ModelFactory
{
    public static object Create(MessageRenderer renderer, CustomerProfile customer, MessageDefinition message, Channel channel, string trigger, DateTimeOffset sendAt)
        => new TemplateModel(renderer, new DeliveryRequest(customer, message.Id, trigger, message.Purpose, sendAt), message, channel, renderer.Brand);
}
