import Testing
@testable import Harvest

@Test func harvestModuleLinksLAPACK() { #expect(HarvestModule.lapackLinks()) }
