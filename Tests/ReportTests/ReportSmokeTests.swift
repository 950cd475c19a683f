import Testing
@testable import Report

@Test func ReportModuleLinks() { #expect(ReportModule.name == "Report") }
