import Testing
@testable import SEEM

@Test func SEEMModuleLinks() { #expect(SEEMModule.name == "SEEM") }
