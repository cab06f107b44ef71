/**
 * Types that exist only to describe, in the published OpenAPI document, JSON that the service
 * reads itself (sparse vectors in two forms, the filter language, document metadata): the
 * request is parsed by the code that names the bad part in its error ({@code VectorJson},
 * {@code FilterCompiler}), and these records say what that code accepts.
 */
package dev.lsr.api.schema;
