from officestar_cli.cli.app import main

main()
